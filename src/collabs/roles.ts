// Roles and who may grant them. Admins come from configuration (COLLABOT_ADMINS);
// leads and delegates are collective-wide; facilitators belong to one collab.
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import type { PeopleService } from '../people/service.js';
import type { DB } from '../storage/db.js';
import { CollabsRepo } from './repo.js';

/** Roles a command can require. Admins may always run everything. */
export type Role = 'admin' | 'lead' | 'delegate' | 'facilitator';

export type GrantableRole = Exclude<Role, 'admin'>;
export const GRANTABLE_ROLES: GrantableRole[] = ['lead', 'delegate', 'facilitator'];

export class RolesService {
  private readonly repo: CollabsRepo;
  private readonly people: PeopleService;
  private readonly config: Pick<Config, 'COLLABOT_ADMINS'>;

  constructor(d: { db: DB; people: PeopleService; config: Pick<Config, 'COLLABOT_ADMINS'> }) {
    this.repo = new CollabsRepo(d.db);
    this.people = d.people;
    this.config = d.config;
  }

  /** Who is typing the command being handled (set by the core for each command). */
  private acting: { personId: number; platform: string; userId: string } | undefined;

  /** The core says whose command it is handling (undefined once done). */
  actingAs(identity: { personId: number; platform: string; userId: string } | undefined) {
    this.acting = identity;
  }

  /**
   * Admin if one of the person's identities is listed in COLLABOT_ADMINS. The
   * person typing a command is admin only from the listed account itself, never
   * through an account linked to it (a member who tricked an admin into /link
   * gains nothing).
   */
  isAdmin(personId: number): boolean {
    const listed = (platform: string, userId: string) => this.config.COLLABOT_ADMINS.some((a) => a.platform === platform && a.userId === userId);
    if (this.acting?.personId === personId) return listed(this.acting.platform, this.acting.userId);
    return this.people.identities(personId).some((i) => listed(i.platform, i.user_id));
  }

  has(personId: number, role: Role, collabId: number | null): boolean {
    if (role === 'admin') return this.isAdmin(personId);
    if (role === 'facilitator') return collabId !== null && this.repo.hasRole(personId, 'facilitator', collabId);
    return this.repo.hasRole(personId, role, null);
  }

  /** Does the person hold any of these roles (admins always do)? */
  hasAny(personId: number, roles: Role[] | undefined, collabId: number | null): boolean {
    if (!roles?.length) return true;
    if (this.isAdmin(personId)) return true;
    return roles.some((r) => this.has(personId, r, collabId));
  }

  holders(role: GrantableRole, collabId: number | null = null): number[] {
    return this.repo.holders(role, role === 'facilitator' ? collabId : null);
  }

  /**
   * Who may grant what: admins any role; leads delegate; facilitators facilitator
   * in their collab. Only admins make or unmake leads: leads decide money, and a
   * lead who could make leads could add a second account of their own.
   */
  mayGrant(actor: number, role: GrantableRole, collabId: number | null): boolean {
    if (this.isAdmin(actor)) return true;
    if (role === 'lead') return false;
    if (role === 'delegate') return this.repo.hasRole(actor, 'lead', null);
    return collabId !== null && this.repo.hasRole(actor, 'facilitator', collabId);
  }

  grant(actor: number, target: number, role: GrantableRole, collabId: number | null, now: number, detail: string | null = null): boolean {
    this.checkMayGrant(actor, role, collabId);
    return this.repo.grant(target, role, role === 'facilitator' ? collabId : null, detail, actor, now);
  }

  revoke(actor: number, target: number, role: GrantableRole, collabId: number | null): boolean {
    this.checkMayGrant(actor, role, collabId);
    return this.repo.revoke(target, role, role === 'facilitator' ? collabId : null);
  }

  /** A role given by a rule rather than by someone's command (an election's result): no permission check. */
  assign(target: number, role: GrantableRole, collabId: number | null, detail: string | null, by: number, now: number): boolean {
    return this.repo.grant(target, role, role === 'facilitator' ? collabId : null, detail, by, now);
  }

  /** A role taken away by a rule (a delegate's term ended): no permission check. */
  unassign(target: number, role: GrantableRole, collabId: number | null): boolean {
    return this.repo.revoke(target, role, role === 'facilitator' ? collabId : null);
  }

  private checkMayGrant(actor: number, role: GrantableRole, collabId: number | null) {
    if (role === 'facilitator' && collabId === null) {
      throw new UserError('Facilitators belong to a collab. Type this in the collab\'s chat, e.g. /role add @ben facilitator');
    }
    if (this.mayGrant(actor, role, collabId)) return;
    const who =
      role === 'facilitator' ? 'a facilitator of this collab or an admin' : role === 'lead' ? 'an admin' : 'a lead or an admin';
    throw new UserError(`Only ${who} can give or take away the ${role} role. Type /roles to see who can help.`);
  }

  /** Every role, for /roles: admins from configuration first. */
  list(): { name: string; role: Role; collab: string | null; detail: string | null }[] {
    const out: { name: string; role: Role; collab: string | null; detail: string | null }[] = [];
    for (const a of this.config.COLLABOT_ADMINS) {
      const pid = this.people.find(a.platform, a.userId);
      out.push({ name: pid ? this.people.name(pid) : a.userId, role: 'admin', collab: null, detail: `${a.platform}:${a.userId}` });
    }
    for (const r of this.repo.allRoles()) out.push({ name: r.name, role: r.role, collab: r.collab_name, detail: r.detail });
    return out;
  }
}
