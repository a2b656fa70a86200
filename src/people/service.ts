// People and their identities. A person may have identities on several
// platforms; /link joins them so the person counts once everywhere.
import { randomInt } from 'node:crypto';
import type { Clock } from '../clock.js';
import { UserError } from '../errors.js';
import type { Destination } from '../model.js';
import type { DB } from '../storage/db.js';
import { stripInvisible } from '../text/invisible.js';
import { LinksRepo, type RoleTuple } from './links-repo.js';
import { PeopleRepo } from './repo.js';

/** Re-points a feature's rows from one person to another when /link merges them. */
export type MergeHook = (from: number, to: number) => void;

const LINK_CODE_TTL_MS = 15 * 60_000;
/**
 * Wrong link codes anyone may type in LINK_CODE_TTL_MS, from any accounts: the
 * fifth kills every live code, so a code cannot be found by trying (5 of 900,000
 * in its lifetime, however many accounts try).
 */
const MAX_WRONG_CODES = 5;
/** A link can be split with /link undo for this long. */
export const LINK_UNDO_MS = 30 * 86_400_000;

export class PeopleService {
  private repo: PeopleRepo;
  private links: LinksRepo;
  private mergeHooks: MergeHook[] = [];
  private undoChecks: ((personId: number) => string | undefined)[] = [];

  private clock: Clock;

  constructor(d: { db: DB; clock: Clock }) {
    this.repo = new PeopleRepo(d.db);
    this.clock = d.clock;
    this.links = new LinksRepo(d.db);
  }

  /** Features that store person ids register how to move them on a merge. */
  /** A feature refuses /link undo while splitting the accounts would let one person act twice (say why). */
  onUndoCheck(check: (personId: number) => string | undefined) {
    this.undoChecks.push(check);
  }

  onMerge(hook: MergeHook) {
    this.mergeHooks.push(hook);
  }

  /** The person behind a platform identity, created on first sight; keeps the display name fresh. */
  ensure(platform: string, userId: string, typedName: string): number {
    const now = this.clock.now();
    // Invisible characters removed: "lee\u200b" must not pass for "lee".
    const displayName = stripInvisible(typedName ?? '').trim();
    const found = this.repo.identity(platform, userId);
    if (found) {
      if (displayName && found.display_name !== displayName) {
        this.repo.renameIdentity(platform, userId, displayName, now);
        this.repo.renamePerson(found.person_id, displayName);
      }
      return found.person_id;
    }
    const personId = this.repo.createPerson(displayName || userId, now);
    this.repo.addIdentity(platform, userId, personId, displayName || userId, now);
    return personId;
  }

  find(platform: string, userId: string): number | undefined {
    return this.repo.identity(platform, userId)?.person_id;
  }

  /** People on this platform whose display name is `name` (any case). */
  byName(platform: string, name: string): number[] {
    return this.repo.personIdsByName(platform, name);
  }

  name(personId: number): string {
    return this.repo.person(personId)?.display_name ?? `person ${personId}`;
  }

  identities(personId: number) {
    return this.repo.identitiesOf(personId);
  }

  /**
   * Where a direct message to this person goes: on `platform` (usually the one
   * the conversation is on) if they use it, else on another of theirs;
   * undefined if they have no identity at all.
   */
  directTo(personId: number, platform?: string): Destination | undefined {
    const ids = this.repo.identitiesOf(personId);
    const id = ids.find((i) => i.platform === platform) ?? ids[0];
    return id && { platform: id.platform, userId: id.user_id };
  }

  /** Step one of /link: a one-time code, valid 15 minutes, to type on the other platform. */
  createLinkCode(personId: number): string {
    const now = this.clock.now();
    const code = String(randomInt(100_000, 1_000_000));
    this.repo.saveCode(code, personId, now + LINK_CODE_TTL_MS, now);
    return code;
  }

  /**
   * Step two of /link: the other account types the code. Nothing is joined yet:
   * the account that asked for the code must confirm (`confirmLink`). Returns
   * the code's owner, to ask them.
   */
  claimLinkCode(code: string, typedBy: number): { owner: number } | { wrong: string } {
    const now = this.clock.now();
    const row = this.links.code(code);
    if (!row || row.expires_at < now || row.claimed_by !== null) {
      // Returned, not thrown: a refusal would roll back the count.
      if (this.links.wrongTry(now, now - LINK_CODE_TTL_MS) >= MAX_WRONG_CODES) this.links.killAllCodes();
      return { wrong: 'That code is not valid or has expired. Codes last 15 minutes.\nType /link on your other account to get a new one, then type /link 123456 here with the new code.' };
    }
    if (row.person_id === typedBy) throw new UserError('That code came from this same account. Type the code on your other account, e.g. on Slack: /link 123456');
    const mine = new Set(this.repo.identitiesOf(typedBy).map((i) => i.platform));
    const shared = this.repo.identitiesOf(row.person_id).find((i) => mine.has(i.platform));
    if (shared) {
      throw new UserError(
        `Both accounts are on ${shared.platform}. /link joins your accounts on different platforms (say your Slack and your WhatsApp), never two on the same one.\n` +
          'Type /link on your account on another platform to get a code, then type it here, e.g. /link 123456',
      );
    }
    this.links.claim(code, typedBy);
    return { owner: row.person_id };
  }

  /** Step three: the account that asked for the code confirms; the account that typed it joins it. */
  confirmLink(personId: number): { into: number; from: number } {
    const now = this.clock.now();
    const row = this.links.claimedCodeOf(personId, now);
    if (!row) {
      throw new UserError('There is nothing to confirm. First type /link here to get a code, type it on your other account (e.g. /link 123456), then come back and type /link confirm');
    }
    this.links.deleteCode(row.code);
    const from = row.claimed_by;
    const identities = this.repo.identitiesOf(from).map((i): [string, string] => [i.platform, i.user_id]);
    this.links.recordLink(personId, from, identities, this.links.roles(personId), this.links.roles(from), now);
    this.merge(from, personId);
    return { into: personId, from };
  }

  /**
   * Split the latest link of this person made in the last 30 days: the accounts
   * that joined go back to their own person, and each side has its own roles
   * again. What was done while linked (votes, notes) stays with this person.
   */
  undoLink(personId: number, by: number): { identities: [string, string][]; from: number } {
    const now = this.clock.now();
    const link = this.links.latestLink(personId, now - LINK_UNDO_MS);
    if (!link) throw new UserError('There is no link made in the last 30 days to undo. To link accounts, type /link');
    for (const check of this.undoChecks) {
      const why = check(personId);
      if (why) throw new UserError(why);
    }
    const identities = JSON.parse(link.identities) as [string, string][];
    const intoRoles = JSON.parse(link.into_roles) as RoleTuple[];
    const fromRoles = JSON.parse(link.from_roles) as RoleTuple[];
    const key = (r: RoleTuple) => `${r[0]}:${r[1] ?? 0}`;
    const own = new Set(intoRoles.map(key));
    // Only roles still held go back: one taken away while the accounts were linked stays taken away.
    const held = new Set(this.links.roles(personId).map(key));
    const back = fromRoles.filter((r) => held.has(key(r)));
    for (const r of back) if (!own.has(key(r))) this.links.dropRole(personId, r);
    for (const r of back) this.links.addRole(link.from_person, r, now);
    for (const [platform, userId] of identities) this.links.moveIdentity(link.from_person, platform, userId);
    this.links.unmerge(link.from_person);
    this.links.markUndone(link.id, now, by);
    return { identities, from: link.from_person };
  }

  private merge(from: number, to: number) {
    for (const hook of this.mergeHooks) hook(from, to);
    this.repo.moveIdentities(from, to);
  }
}
