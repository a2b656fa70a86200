// The poll state machine: one table of the actions each status allows, and
// the friendly refusal for an action its status does not allow.
import { UserError } from '../errors.js';
import { formatMoment } from '../time/dates.js';
import type { PollRow, PollStatus } from './repo.js';

export type PollAction = 'vote' | 'unvote' | 'close' | 'reopen' | 'outcome';

/** The poll state machine, as one table: for each status, the actions allowed in it and the status each leads to. */
export const TRANSITIONS: Record<PollStatus, Partial<Record<PollAction, PollStatus>>> = {
  open: { vote: 'open', unvote: 'open', close: 'closed' },
  closed: { reopen: 'open', outcome: 'closed' },
};

/** Past its closing time, a poll counts as closed for voting even if the closing job has not run yet. */
export function isDue(poll: PollRow, now: number): boolean {
  return poll.status === 'open' && poll.closes_at !== null && poll.closes_at <= now;
}

/** The status `action` leads to (see TRANSITIONS), or a friendly refusal naming the poll's status. */
export function nextStatus(poll: PollRow, action: PollAction, now: number, tz: () => string): PollStatus {
  const status: PollStatus = (action === 'vote' || action === 'unvote') && isDue(poll, now) ? 'closed' : poll.status;
  const to = TRANSITIONS[status][action];
  if (to) return to;
  const when = poll.closed_at ?? poll.closes_at;
  const closedOn = when ? ` on ${formatMoment(when, tz())}` : '';
  switch (action) {
    case 'vote':
      throw new UserError(`Poll #${poll.id} closed${closedOn}, so it no longer takes votes. To see the results: /poll results ${poll.id}`);
    case 'unvote':
      throw new UserError(`Poll #${poll.id} closed${closedOn}, so votes can no longer be changed. To see the results: /poll results ${poll.id}`);
    case 'close':
      throw new UserError(`Poll #${poll.id} is already closed. To open it again: /poll reopen ${poll.id}`);
    case 'reopen':
      throw new UserError(`Poll #${poll.id} is still open. To close it: /poll close ${poll.id}`);
    case 'outcome':
      throw new UserError(`Poll #${poll.id} is still open. Close it first with /poll close ${poll.id}, then record the outcome.`);
  }
}
