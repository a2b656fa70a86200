// Discord's errors in the outbox's terms: slow down (one chat, or everything), give up, or try again.
import { DiscordAPIError, RateLimitError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { sendError } from '../../adapters/discord/index.js';
import { PermanentSendError, RateLimitedError } from '../../src/model.js';

const limit = (global: boolean) =>
  new RateLimitError({
    timeToReset: 1200, limit: 5, method: 'POST', hash: 'h', url: 'http://127.0.0.1/api/channels/1/messages',
    route: '/channels/:id/messages', majorParameter: '1', global, retryAfter: 1500, sublimitTimeout: 0, scope: global ? 'global' : 'user',
  });

describe('Discord send errors', () => {
  it('slows one channel for a route limit, and the whole platform for a global one', () => {
    const chat = sendError(limit(false)) as RateLimitedError;
    expect(chat).toBeInstanceOf(RateLimitedError);
    expect(chat.retryAfterMs).toBe(1500);
    expect(chat.scope).toBe('chat');
    expect((sendError(limit(true)) as RateLimitedError).scope).toBe('platform');
  });

  it('gives up on unknown channels and missing access, and retries anything else', () => {
    const api = (status: number, code: number) => new DiscordAPIError({ code, message: 'x' }, code, status, 'POST', 'http://127.0.0.1/api', { body: undefined, files: undefined });
    expect(sendError(api(404, 10003))).toBeInstanceOf(PermanentSendError);
    expect(sendError(api(403, 50001))).toBeInstanceOf(PermanentSendError);
    const other = new Error('socket hang up');
    expect(sendError(other)).toBe(other);
  });
});
