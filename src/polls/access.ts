// Who may see, vote in and manage a poll: the poll's audience, role-only polls,
// and the conflicts of interest other features declare (PollRules).
import type { RolesService } from '../collabs/roles.js';
import type { CollabsService } from '../collabs/service.js';
import { belongsElsewhere } from '../collabs/elsewhere.js';
import type { PeopleService } from '../people/service.js';
import { UserError } from '../errors.js';
import type { PollRow, PollsRepo } from './repo.js';
import type { PollRules, Voter } from './types.js';

export interface PollAccessDeps {
  repo: PollsRepo;
  roles: RolesService;
  collabs: CollabsService;
  people: PeopleService;
  /** The rules features add (PollsService.addRules); read at each check. */
  rules: readonly PollRules[];
}

export class PollAccess {
  constructor(private d: PollAccessDeps) {}

  /** Is the poll shown to this person here, so they may see and vote in it? Throws a friendly reason if not. */
  checkVisible(poll: PollRow, voter: Voter, doing = 'vote on') {
    const { chat, personId } = voter;
    if (chat.is_direct) {
      const ok = poll.voter_role ? this.d.roles.hasAny(personId, [poll.voter_role], null) : this.d.roles.isAdmin(personId) || this.d.repo.isAudience(poll, personId);
      if (ok) return;
      const collab = poll.collab_id !== null ? this.d.collabs.collab(poll.collab_id) : undefined;
      throw new UserError(
        `You can ${doing} poll #${poll.id} in a direct message only if you are a member of ${collab ? collab.name : 'a collab it was posted to'}. ` +
          'Type the command in a chat where the poll is shown.',
      );
    }
    const shown = (!poll.everywhere && poll.collab_id !== null && chat.collab_id === poll.collab_id) || this.d.repo.isShownIn(poll.id, chat.id);
    if (shown) return;
    if (!poll.everywhere && poll.collab_id !== null) {
      const collab = this.d.collabs.collab(poll.collab_id)!;
      throw new UserError(belongsElsewhere(`Poll #${poll.id}`, collab.name, doing));
    }
    throw new UserError(`Poll #${poll.id} was not posted in this chat, so you can't ${doing} it here. Type the command in a chat where it was posted.`);
  }

  checkMayVote(poll: PollRow, voter: Voter) {
    this.checkVisible(poll, voter);
    if (poll.voter_role && !this.d.roles.has(voter.personId, poll.voter_role, null)) {
      throw new UserError(`Only ${poll.voter_role}s can vote in poll #${poll.id}. Type /roles to see who they are.`);
    }
    this.checkNoConflict(poll, voter.personId, 'vote in');
  }

  /** Why this person must not decide this poll, if a feature's rules say so. */
  conflict(poll: PollRow, personId: number): string | undefined {
    for (const r of this.d.rules) {
      const why = r.conflict?.(poll, personId);
      if (why) return why;
    }
    return undefined;
  }

  /** Why this person must not manage (close, reopen, record the outcome of) this poll, if a feature's rules say so. */
  manageConflict(poll: PollRow, personId: number): string | undefined {
    for (const r of this.d.rules) {
      const why = r.manage?.(poll, personId);
      if (why) return why;
    }
    return undefined;
  }

  checkNoConflict(poll: PollRow, personId: number, verb: string) {
    const why = this.conflict(poll, personId);
    if (!why) return;
    const others = poll.voter_role ? `The other ${poll.voter_role}s` : 'The others';
    throw new UserError(`You can't ${verb} poll #${poll.id}: ${why}, so that would be a conflict of interest. ${others} will decide.`);
  }

  /** Who may vote in a role-only poll: the role's holders, less anyone with a conflict of interest. */
  roleVoters(poll: PollRow): number[] {
    return this.d.roles.holders(poll.voter_role!).filter((p) => !this.conflict(poll, p));
  }

  /** Creator, facilitator of its collab, lead or admin; for polls only a role may vote in, holders of that role or admins. Never someone with a conflict of interest. */
  mayManage(poll: PollRow, personId: number): boolean {
    const { roles } = this.d;
    if (this.conflict(poll, personId) || this.manageConflict(poll, personId)) return false;
    if (poll.voter_role) return roles.hasAny(personId, [poll.voter_role], null);
    if (poll.created_by === personId) return true;
    return roles.hasAny(personId, ['lead'], null) || (poll.collab_id !== null && roles.has(personId, 'facilitator', poll.collab_id));
  }

  checkMayManage(poll: PollRow, personId: number, verb: string) {
    if (this.mayManage(poll, personId)) return;
    this.checkNoConflict(poll, personId, verb); // says so when a conflict of interest is the reason
    const why = this.manageConflict(poll, personId);
    if (why) throw new UserError(`You can't ${verb} poll #${poll.id}: ${why}.`);
    const who = poll.voter_role ? `a ${poll.voter_role} or an admin` : 'the person who asked it, a facilitator of its collab, a lead or an admin';
    throw new UserError(`Only ${who} can ${verb} poll #${poll.id}. Type /roles to see who can help.`);
  }

  /** How many must vote: a feature's rule (e.g. half the leads who may vote), else the poll's --quorum. */
  quorum(poll: PollRow): number | null {
    for (const r of this.d.rules) {
      const q = r.quorum?.(poll);
      if (q !== undefined) return q;
    }
    return poll.quorum;
  }

  /** Closing before the closing time: refused if a feature's rule says so (e.g. a grant's leads have not all voted). */
  checkMayCloseEarly(poll: PollRow, personId: number) {
    for (const r of this.d.rules) {
      const refusal = r.close?.(poll, personId);
      if (refusal) throw new UserError(refusal);
    }
  }

  /** Who may still vote and has not: members where the poll is shown, or the holders of its role (few: counted here). */
  missingVoters(poll: PollRow, limit: number): { count: number; names: string[] } {
    if (!poll.voter_role) return this.d.repo.missingVoters(poll, limit);
    const missing = this.roleVoters(poll).filter((p) => !this.d.repo.voter(poll.id, p));
    const names = missing.map((p) => this.d.people.name(p)).sort(byNameNoCase);
    return { count: missing.length, names: names.slice(0, limit) };
  }
}

/** Case-insensitive order, as SQLite's COLLATE NOCASE sorts the other lists of names. */
function byNameNoCase(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
}

