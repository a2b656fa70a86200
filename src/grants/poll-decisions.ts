// Enabling and Invest requests are decided by the leads in a proposal poll:
// the request opens the poll (only leads may vote; each gets it by direct
// message too), and the grant follows the poll's result when it closes, in the
// closing transaction, whether a lead closed it or its time ran out.
import type { Clock } from '../clock.js';
import type { PollsService } from '../polls/service.js';
import type { GrantsService } from './service.js';

/** How long the leads have to decide by poll (a lead may close it sooner). */
export const GRANT_POLL_DAYS = 7;

const ORIGIN = /^grant:(\d+)$/;

export function wireGrantPolls(grants: GrantsService, polls: PollsService, clock: Clock) {
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
  polls.onClosed((poll, result) => {
    const m = ORIGIN.exec(poll.origin ?? '');
    // Only the poll the request opened decides it (a stray origin must not block the close).
    const grant = m ? grants.repo.grant(Number(m[1])) : undefined;
    if (grant?.poll_id === poll.id && result.proposal) grants.applyPollOutcome(grant.id, result.proposal.passed, poll.id);
  });
}
