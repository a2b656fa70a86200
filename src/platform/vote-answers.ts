// Answers to votes cast in a platform's own poll (a WhatsApp poll, a Discord
// poll). The poll already shows voters their ticks, so a confirmation (`ack`)
// is not sent at all; anything else answering such a vote (a refusal: the poll
// has closed, too many ticks) goes to the voter alone, by direct message, never
// to the group where everyone would see it.
import type { Destination, OutMessage } from '../model.js';

const VOTE_ID = /^vote-by:([^|]+)\|/;

/**
 * The messageId to give the event of such a vote. The core hands it back as
 * the `replyTo` of the answer, and it names the voter.
 */
export function nativeVoteId(voterId: string, pollMessageId: string): string {
  return `vote-by:${voterId}|${pollMessageId}`;
}

/** The voter an answer is for, when it answers a vote in a native poll. */
export function voterOf(replyTo: string | undefined): string | undefined {
  return VOTE_ID.exec(replyTo ?? '')?.[1];
}

/**
 * Where a message goes, answers to native-poll votes taken care of: undefined
 * when there is nothing to send (a confirmation), the voter's direct message for
 * a refusal (with `voter` set, and no `replyTo`: there is nothing to quote in a
 * direct message), anything else unchanged.
 */
export function routeVoteAnswer(to: Destination, message: OutMessage): { to: Destination; message: OutMessage; voter?: string } | undefined {
  const voter = voterOf(message.replyTo);
  if (voter === undefined) return { to, message };
  if (message.ack) return undefined;
  return { to: { platform: to.platform, userId: voter }, message: { ...message, replyTo: undefined }, voter };
}
