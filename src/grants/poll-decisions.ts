// Enabling and Invest requests are decided by the leads in a proposal poll:
// the request opens the poll (only leads may vote; each gets it by direct
// message too), and the grant follows the poll's result when it closes, in the
// closing transaction, whether a lead closed it or its time ran out. A lead
// with a conflict of interest takes no part; a withdrawn request closes its poll.
import type { Clock } from '../clock.js';
import type { RolesService } from '../collabs/roles.js';
import { formatMoment } from '../time/dates.js';
import type { PollRow } from '../polls/repo.js';
import type { PollsService } from '../polls/service.js';
import { exampleAmount } from './money.js';
import type { GrantsService } from './service.js';

/** How long the leads have to decide by poll (a lead may close it sooner). */
export const GRANT_POLL_DAYS = 7;

const ORIGIN = /^grant:(\d+)$/;

/**
 * How many leads must vote for a leads' poll on a grant to count: at least half
 * of those who may vote in it (no conflict of interest), and never fewer than
 * the approvals a small grant needs (COLLABOT_GRANT_APPROVALS).
 */
export function grantQuorum(leadsWhoMayVote: number, approvalsNeeded: number): number {
  return Math.max(Math.ceil(leadsWhoMayVote / 2), approvalsNeeded);
}

export function wireGrantPolls(grants: GrantsService, polls: PollsService, clock: Clock, roles: RolesService, tz: (collabId: number) => string) {
  /** The grant a poll was opened for (by its origin). */
  const grantOf = (poll: PollRow) => {
    const m = ORIGIN.exec(poll.origin ?? '');
    return m ? grants.get(Number(m[1])) : undefined;
  };

  grants.setPollOpener(
    (grant) =>
      polls.create({
        type: 'proposal',
        question: `Approve grant request ${grants.title(grant)}?`,
        voterRole: 'lead',
        origin: `grant:${grant.id}`,
        collabId: grant.collab_id,
        createdBy: null,
        closesAt: clock.now() + GRANT_POLL_DAYS * 86_400_000,
      }).id,
  );

  /** The leads who may vote in the poll: every lead without a conflict of interest in its grant. */
  const mayVote = (poll: PollRow) => {
    const grant = grantOf(poll);
    return grant ? roles.holders('lead').filter((p) => !grants.conflict(p, grant)) : [];
  };

  polls.addRules({
    quorum: (poll) => (grantOf(poll) ? grantQuorum(mayVote(poll).length, grants.approvalsNeeded) : undefined),
    notes: (poll) =>
      grantOf(poll)
        ? [
            'It passes only if enough leads vote (at least half of the leads who may vote, and never fewer than ' +
              `${grants.approvalsNeeded}), nobody blocks, and more agree than disagree. Before its closing time it can be closed ` +
              'only once every lead who may vote has voted, or by an admin (without enough votes, that declines the grant).',
          ]
        : [],
    close: (poll, personId) => {
      const grant = grantOf(poll);
      if (!grant || roles.isAdmin(personId)) return undefined;
      const leads = mayVote(poll);
      const voted = leads.filter((p) => polls.hasVoted(poll.id, p)).length;
      if (voted >= leads.length) return undefined;
      return (
        `Poll #${poll.id} decides grant #${grant.id}, so it can be closed early only once every lead who may vote has voted ` +
        `(${voted} of ${leads.length} have).` +
        (poll.closes_at !== null ? ` It closes by itself on ${formatMoment(poll.closes_at, tz(grant.collab_id))}.` : '') +
        ' An admin can close it sooner: without enough votes, that declines the grant.'
      );
    },
    // The same conflicts of interest as /grant approve: the lead who asked, or who facilitates the collab.
    conflict: (poll, personId) => {
      const grant = grantOf(poll);
      return grant && grants.conflict(personId, grant);
    },
    // Once its poll has closed, the request is decided (or was withdrawn) for good.
    reopen: (poll) => {
      const grant = grantOf(poll);
      if (!grant || grant.state === 'submitted') return undefined;
      return (
        `Poll #${poll.id} was the leads' decision on grant #${grant.id}, which is now ${grant.state}, so it can't be reopened.\n` +
        `To ask again, make a new request, e.g. /grant request ${grant.category} ${exampleAmount(grant.amount)} <what it is for>`
      );
    },
  });

  polls.onClosed((poll, result) => {
    // Only the poll the request opened decides it (a stray origin must not block the close).
    const grant = grantOf(poll);
    if (grant?.poll_id === poll.id && result.proposal) grants.applyPollOutcome(grant.id, result.proposal.passed, poll.id, objections(polls, poll));
  });

  // Nothing is left to decide: the leads stop voting, and the poll's chats hear why.
  grants.onWithdrawn((grant) => {
    const poll = grant.poll_id !== null ? polls.get(grant.poll_id) : undefined;
    if (poll?.status === 'open') polls.close(poll.id, null, undefined, `Grant #${grant.id} was withdrawn, so there is nothing left to decide.`);
  });
}

/** The reasons given with blocks and disagreements, for the grant's ledger: `block (Olly: it ignores under-18s)`. */
function objections(polls: PollsService, poll: PollRow): string | undefined {
  const options = polls.options(poll);
  const against = new Map(options.filter((o) => /^(block|disagree)$/i.test(o.label)).map((o) => [o.idx, o.label.toLowerCase()]));
  const parts = polls
    .reasons(poll)
    .filter((r) => against.has(r.option_idx))
    .map((r) => `${against.get(r.option_idx)} (${r.name ? `${r.name}: ` : ''}${r.reason})`);
  return parts.length ? parts.join('; ') : undefined;
}
