// People and their identities. A person may have identities on several
// platforms; /link joins them so the person counts once everywhere.
import { randomInt } from 'node:crypto';
import type { Clock } from '../clock.js';
import { UserError } from '../errors.js';
import type { Destination } from '../model.js';
import type { DB } from '../storage/db.js';
import { PeopleRepo } from './repo.js';

/** Re-points a feature's rows from one person to another when /link merges them. */
export type MergeHook = (from: number, to: number) => void;

const LINK_CODE_TTL_MS = 15 * 60_000;
/**
 * Wrong codes one person may type in LINK_CODE_TTL_MS. A code joins the typer
 * into the code's owner, roles and all (an admin's too), so it must not be guessable
 * by trying: 5 of 900,000 codes a quarter of an hour.
 */
const MAX_WRONG_CODES = 5;

export class PeopleService {
  private repo: PeopleRepo;
  private mergeHooks: MergeHook[] = [];
  /** Wrong link codes by the person who typed them (in memory: a restart only forgives a few tries). */
  private wrongCodes = new Map<number, { count: number; since: number }>();

  private clock: Clock;

  constructor(d: { db: DB; clock: Clock }) {
    this.repo = new PeopleRepo(d.db);
    this.clock = d.clock;
  }

  /** Features that store person ids register how to move them on a merge. */
  onMerge(hook: MergeHook) {
    this.mergeHooks.push(hook);
  }

  /** The person behind a platform identity, created on first sight; keeps the display name fresh. */
  ensure(platform: string, userId: string, displayName: string): number {
    const now = this.clock.now();
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

  /** Step two of /link: join the person typing the code into the person who asked for it. */
  redeemLinkCode(code: string, typedBy: number): { into: number } {
    const now = this.clock.now();
    const earlier = this.wrongCodes.get(typedBy);
    const wrong = earlier && now - earlier.since < LINK_CODE_TTL_MS ? earlier : { count: 0, since: now };
    if (wrong.count >= MAX_WRONG_CODES) {
      throw new UserError('That is too many wrong codes for now. Wait 15 minutes, then type /link on your other account to get a new code, and type it here, e.g. /link 123456');
    }
    const row = this.repo.takeCode(code);
    if (!row || row.expires_at < now) {
      this.wrongCodes.set(typedBy, { ...wrong, count: wrong.count + 1 });
      throw new UserError('That code is not valid or has expired. Codes last 15 minutes.\nType /link on your other account to get a new one, then type /link 123456 here with the new code.');
    }
    if (row.person_id === typedBy) throw new UserError('That code came from this same account. Type the code on your other account, e.g. on Slack: /link 123456');
    this.merge(typedBy, row.person_id);
    return { into: row.person_id };
  }

  private merge(from: number, to: number) {
    for (const hook of this.mergeHooks) hook(from, to);
    this.repo.moveIdentities(from, to);
  }
}
