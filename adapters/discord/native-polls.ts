// Discord's own polls (--native): each vote arrives as a gateway event naming
// the message and answer, which is mapped back to the poll and option and
// handed to the core as /vote or /unvote.
import { Routes, type Client } from 'discord.js';
import type { Logger } from '../../src/logger.js';
import type { InboundSink, OutMessage } from '../../src/model.js';
import { BoundedMap } from '../../src/platform/bounded-map.js';
import { picksSeveral } from '../../src/platform/poll-view.js';
import { nativeVoteId } from '../../src/platform/vote-answers.js';
import { chatName } from './chat-name.js';
import { isNativePoll, readNativePoll } from './render.js';

/** How many native polls (with their voters' picks) are remembered. */
const REMEMBERED = 10_000;

interface NativePoll {
  pollId: number;
  /** Discord answer id -> the poll's option number. */
  options: Map<number, number>;
  multiselect: boolean;
  /**
   * Multi-select polls: what each voter has ticked, as Discord sends one event per
   * answer and the core takes a whole ballot. Empty for a poll just posted; read
   * from Discord for a poll read back (after a restart), else earlier ticks are lost.
   */
  picks?: Map<string, Set<number>>;
}

export interface PollVote {
  user_id: string;
  channel_id: string;
  message_id: string;
  guild_id?: string;
  answer_id: number;
}

export class NativePolls {
  private readonly known = new BoundedMap<string, NativePoll>(REMEMBERED);

  constructor(private d: { client: Client; log: Logger; now: () => number }) {}

  /** Forget every poll (tests: as after a restart). */
  clear() {
    this.known.clear();
  }

  /** A vote added or taken back on a native poll, as `/vote` or `/unvote` for the core. */
  async vote(d: PollVote, added: boolean, eventKey: string, sink: InboundSink) {
    if (d.user_id === this.d.client.user?.id) return;
    const poll = await this.poll(d.channel_id, d.message_id);
    const option = poll?.options.get(Number(d.answer_id));
    if (!poll || option === undefined) return;
    let text: string;
    if (poll.multiselect) {
      poll.picks ??= await this.readPicks(d.channel_id, d.message_id, poll);
      const picked = poll.picks?.get(d.user_id) ?? new Set<number>();
      if (added) picked.add(option);
      else picked.delete(option);
      poll.picks?.set(d.user_id, picked);
      text = picked.size ? `/vote ${poll.pollId} ${[...picked].sort((a, b) => a - b).join(' ')}` : `/unvote ${poll.pollId}`;
    } else {
      text = added ? `/vote ${poll.pollId} ${option}` : `/unvote ${poll.pollId}`;
    }
    const user = await this.d.client.users.fetch(d.user_id).catch(() => undefined);
    const channel = this.d.client.channels.cache.get(d.channel_id);
    const guild = d.guild_id ? this.d.client.guilds.cache.get(d.guild_id) : undefined;
    const member = guild?.members.cache.get(d.user_id);
    await sink({
      kind: 'action',
      platform: 'discord',
      eventId: `pollvote:${eventKey}`,
      messageId: nativeVoteId(d.user_id, d.message_id),
      chat: { id: d.channel_id, name: chatName(channel, guild?.name, user?.username ?? d.user_id), isDirect: !d.guild_id },
      author: { id: d.user_id, displayName: member?.displayName ?? user?.displayName ?? d.user_id, isBot: !!user?.bot },
      time: new Date(this.d.now()),
      text,
    });
  }

  /** The poll behind a native poll message: remembered when we posted it, or read back from Discord. */
  private async poll(channelId: string, messageId: string): Promise<NativePoll | undefined> {
    const known = this.known.get(messageId);
    if (known) return known;
    const message = (await this.d.client.rest.get(Routes.channelMessage(channelId, messageId)).catch(() => undefined)) as Parameters<typeof readNativePoll>[0] | undefined;
    const poll = message && readNativePoll(message);
    if (poll) this.known.set(messageId, poll);
    return poll;
  }

  /** Who has ticked what in a multi-select poll, as Discord has it; undefined if Discord can't say now (read again next vote). */
  private async readPicks(channelId: string, messageId: string, poll: NativePoll): Promise<Map<string, Set<number>> | undefined> {
    const picks = new Map<string, Set<number>>();
    try {
      for (const [answerId, option] of poll.options) {
        for (let after = ''; ; ) {
          const query = new URLSearchParams({ limit: '100', ...(after ? { after } : {}) });
          const { users } = (await this.d.client.rest.get(Routes.pollAnswerVoters(channelId, messageId, answerId), { query })) as { users: { id: string }[] };
          for (const { id } of users) picks.set(id, (picks.get(id) ?? new Set()).add(option));
          if (users.length < 100) break;
          after = users.at(-1)!.id;
        }
      }
      return picks;
    } catch (err) {
      this.d.log.warn({ err, message: messageId }, 'could not read who ticked what in a native poll');
      return undefined;
    }
  }

  /** Note a native poll we posted, so its votes map back without asking Discord. */
  remember(messageId: string, message: OutMessage) {
    const view = message.poll;
    if (!view || !isNativePoll(view)) return;
    this.known.set(messageId, {
      pollId: view.pollId,
      options: new Map(view.options.map((o, k) => [k + 1, o.index])),
      multiselect: picksSeveral(view),
      // Just posted: nobody has ticked anything yet.
      ...(picksSeveral(view) ? { picks: new Map() } : {}),
    });
  }
}
