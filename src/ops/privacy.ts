// The data-protection duties of the charities using Collabot (UK GDPR): a
// person's right of access (/mydata) and right to erasure (/forget).
// Erasure removes what identifies the person and keeps the collective's records
// (grants, minutes, decisions, named votes) with the name replaced, because
// funders and members rely on those; anonymous ballots were never linked to anyone.
import type { Clock } from '../clock.js';
import type { PeopleService } from '../people/service.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { DB } from '../storage/db.js';
import { PrivacyRepo } from './privacy-repo.js';

export interface PrivacyDeps {
  db: DB;
  clock: Clock;
  scheduler: Scheduler;
  people: PeopleService;
}

export const FORMER_MEMBER = 'former member';

export interface ForgetReport {
  removed: { accounts: number; linkCodes: number; messages: number; chats: number; roles: number; memberships: number; remindersCancelled: number };
  kept: { grants: number; minutes: number; votes: number; notes: number; stories: number };
}

export class PrivacyService {
  readonly repo: PrivacyRepo;

  constructor(private deps: PrivacyDeps) {
    this.repo = new PrivacyRepo(deps.db);
  }

  /** Everything stored about a person, as one JSON-ready document. */
  export(personId: number) {
    const ids = this.repo.personIds(personId);
    const data = this.repo.collect(ids);
    return {
      about: 'Everything Collabot stores about you. Times are milliseconds since 1 January 1970 (UTC); amounts are in pence.',
      exportedAt: new Date(this.deps.clock.now()).toISOString(),
      ...data,
      notLinkedToYou:
        'In anonymous polls only the fact that you voted is kept (listed above); your choices are stored without anything that ties them to you, so nobody, not even someone holding the database, can tell which ballot is yours.',
    };
  }

  /** Erase a person (in the caller's transaction). */
  forget(personId: number): ForgetReport {
    const ids = this.repo.personIds(personId);
    const accounts = this.repo.accounts(ids);
    const erased = this.repo.erase(ids, accounts, this.deps.clock.now());
    for (const id of erased.personalReminders) this.deps.scheduler.cancel(`reminder:${id}`);
    const { personalReminders: _, names: __, ...removed } = erased;
    return { removed, kept: this.repo.kept(ids) };
  }
}
