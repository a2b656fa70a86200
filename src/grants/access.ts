// Who may decide a grant: leads only, each once, never with a conflict of
// interest (they asked for it, or facilitate or facilitated when it asked the
// collab that did: conflicts are fixed at request time).
import type { RolesService } from '../collabs/roles.js';
import type { CollabsService } from '../collabs/service.js';
import { UserError } from '../errors.js';
import type { PeopleService } from '../people/service.js';
import type { GrantConflictsRepo } from './conflicts.js';
import type { FundTotals, GrantRow, GrantsRepo } from './repo.js';

/** Who is acting: a person and the name they go by. */
export interface Who {
  personId: number;
  name: string;
}

export interface GrantAccessDeps {
  repo: GrantsRepo;
  /** Conflicts recorded when the grant was requested (they outlive role changes). */
  conflicts: GrantConflictsRepo;
  roles: RolesService;
  collabs: CollabsService;
  people: PeopleService;
  approvalsNeeded: () => number;
  /** A category's fund by its name (GrantsService.fund). */
  fund: (category: string) => FundTotals;
}

export class GrantAccess {
  constructor(private d: GrantAccessDeps) {}

  /** Leads who may decide this grant (not conflicted) and have not yet. */
  undecidedLeads(grant: GrantRow): number[] {
    const decided = new Set(this.d.repo.decisions(grant.id).map((d) => d.person_id));
    return this.d.roles.holders('lead').filter((p) => !decided.has(p) && !this.conflict(p, grant));
  }

  /** Why this person may not decide on this grant, if they may not. */
  conflict(personId: number, grant: GrantRow): string | undefined {
    const recorded = this.d.conflicts.reason(grant.id, personId);
    if (grant.requested_by === personId || recorded === 'requester') return `you asked for grant #${grant.id}`;
    if (this.d.roles.has(personId, 'facilitator', grant.collab_id)) {
      return `you facilitate ${this.d.collabs.collab(grant.collab_id)?.name ?? 'the collab'}, which asked for grant #${grant.id}`;
    }
    if (recorded === 'facilitator') {
      return `you facilitated ${this.d.collabs.collab(grant.collab_id)?.name ?? 'the collab'} when it asked for grant #${grant.id}`;
    }
    return undefined;
  }

  /** The fund and the approvals so far, if this person may decide the grant now; else a refusal saying why. */
  checkMayDecide(who: Who, grant: GrantRow, verb: 'approve' | 'decline'): { fund: FundTotals; approvals: number } {
    const fund = this.d.fund(grant.category);
    if (fund.decided_by === 'poll') {
      throw new UserError(
        `Grant #${grant.id} is an ${fund.name} grant: the leads decide ${fund.name} and larger grants together by poll, not with /grant ${verb}.` +
          (grant.poll_id !== null ? ` Vote in poll #${grant.poll_id}.` : '') +
          `\nType /grant show ${grant.id} to see where it is.`,
      );
    }
    if (!this.d.roles.has(who.personId, 'lead', null)) {
      throw new UserError(
        `Only leads decide grants, and ${who.name} is not a lead. An admin can make someone a lead, e.g. /role add @${who.name.replace(/\s+/g, '')} lead`,
      );
    }
    const why = this.conflict(who.personId, grant);
    if (why) throw new UserError(`You can't decide on grant #${grant.id}: ${why}, so that would be a conflict of interest. Another lead will decide.`);
    const decisions = this.d.repo.decisions(grant.id);
    const approvals = decisions.filter((d) => d.decision === 'approve').length;
    const mine = decisions.find((d) => d.person_id === who.personId);
    if (mine) {
      throw new UserError(
        `You already ${mine.decision}d grant #${grant.id}. It needs approvals from ${this.d.approvalsNeeded()} different leads and has ${approvals}.`,
      );
    }
    return { fund, approvals };
  }

  requireRequester(who: Who, grant: GrantRow, what: string) {
    if (grant.requested_by === who.personId) return;
    const name = this.d.people.name(grant.requested_by);
    throw new UserError(`Only ${name}, who asked for grant #${grant.id}, can ${what}. Type /grant show ${grant.id} to see it.`);
  }
}
