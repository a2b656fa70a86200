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

export class PeopleService {
  private repo: PeopleRepo;
  private mergeHooks: MergeHook[] = [];

  constructor(db: DB, private clock: Clock) {
    this.repo = new PeopleRepo(db);
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
    const row = this.repo.takeCode(code);
    if (!row || row.expires_at < this.clock.now()) {
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
