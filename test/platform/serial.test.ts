// Inbound events of one conversation in order; conversations independent.
import { describe, expect, it } from 'vitest';
import { SerialQueues } from '../../src/platform/serial.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('serial queues', () => {
  it('runs one key’s tasks in order, lets other keys go ahead, and carries on after a failure', async () => {
    const errors: [string, string][] = [];
    const q = new SerialQueues((err, key) => errors.push([(err as Error).message, key]));
    const done: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    q.run('general', async () => {
      await held;
      done.push('general 1');
    });
    q.run('general', async () => {
      throw new Error('lookup failed');
    });
    q.run('general', async () => void done.push('general 3'));
    q.run('random', async () => void done.push('random 1'));
    await tick();
    expect(done).toEqual(['random 1']);
    release();
    await q.idle();
    expect(done).toEqual(['random 1', 'general 1', 'general 3']);
    expect(errors).toEqual([['lookup failed', 'general']]);
    // Nothing is kept for a conversation whose events are all handled.
    await tick();
    expect((q as unknown as { tails: Map<string, unknown> }).tails.size).toBe(0);
  });
});
