// Builds every service once, from the database, clock and configuration.
// Features add their service here; commands reach them through ctx.services.
import type { Clock } from './clock.js';
import { RolesService } from './collabs/roles.js';
import { CollabsService } from './collabs/service.js';
import { secretsOf, type Config } from './config.js';
import { GrantsService } from './grants/service.js';
import type { Logger } from './logger.js';
import { registerPruning } from './maintenance/prune.js';
import { NotesService } from './notes/service.js';
import { OpsService } from './ops/service.js';
import { PrivacyService } from './ops/privacy.js';
import { MinutesService } from './minutes/service.js';
import { DueDigest } from './outbox/due-digest.js';
import { Outbox } from './outbox/outbox.js';
import { PeopleService } from './people/service.js';
import { RemindersService } from './reminders/service.js';
import { PollChanges } from './polls/changes.js';
import { PollsService } from './polls/service.js';
import { Scheduler } from './scheduler/scheduler.js';
import type { DB } from './storage/db.js';
import { StoriesService } from './stories/service.js';
import { wireGrantPolls } from './grants/poll-decisions.js';
import { grantLinkUndoGuard } from './grants/link-undo-guard.js';
import { ChatLifeService } from './chats/life.js';
import { ElectionsService } from './elections/service.js';
import { MeasuresService } from './measures/service.js';
import { GrantOutcomes } from './grants/outcome.js';
import { PublishingService } from './publishing/service.js';

export interface ServiceDeps {
  db: DB;
  clock: Clock;
  config: Config;
  log: Logger;
}

export function createServices(deps: ServiceDeps) {
  const { db, clock, config, log } = deps;
  const outbox = new Outbox(db, clock, secretsOf(config));
  const digest = new DueDigest({ db, outbox, clock });
  const scheduler = new Scheduler(db, clock, log, outbox);
  const people = new PeopleService({ db, clock });
  const collabs = new CollabsService({ db, clock, config });
  const roles = new RolesService({ db, people, config });
  const pruning = registerPruning(db, scheduler, clock, config.COLLABOT_RETENTION);
  const ops = new OpsService({ db, clock, config, log, outbox, scheduler });
  const notes = new NotesService({ db, clock, config, log, outbox, digest, scheduler, people, collabs, roles });
  const polls = new PollsService({ db, clock, config, outbox, scheduler, collabs, roles, people });
  const stories = new StoriesService({ db, clock });
  const grants = new GrantsService({ db, clock, config, outbox, scheduler, people, collabs, roles, stories });
  const reminders = new RemindersService({ db, clock, config, scheduler, outbox, digest, people, roles, collabs });
  const minutes = new MinutesService({ db, clock, outbox, scheduler, people, collabs, roles });

  // Cross-feature hooks, all here: two accounts linked into one person, and grants decided by the leads' polls.
  for (const feature of [collabs, notes, polls, grants, stories, reminders, minutes]) people.onMerge((from, to) => feature.mergePerson(from, to));
  people.onUndoCheck(grantLinkUndoGuard(db));
  const pollChanges = new PollChanges({ db, clock, outbox, people, roles, polls });
  wireGrantPolls(grants, polls, clock, roles, (collabId) => collabs.timeZone(collabId));

  const privacy = new PrivacyService({ db, clock, scheduler, people });
  const chatLife = new ChatLifeService({ db, clock, log, outbox, collabs, people, roles });
  const elections = new ElectionsService({ db, clock, outbox, scheduler, people, collabs, roles, polls, minutes });
  const measures = new MeasuresService({ db, clock, stories });
  people.onMerge((from, to) => measures.mergePerson(from, to));
  const publishing = new PublishingService({ db });
  const grantOutcomes = new GrantOutcomes({ db });

  return {
    db, clock, config, log, outbox, scheduler, pruning, ops, privacy, people, collabs, roles, notes, polls, pollChanges, stories, grants, minutes, reminders,
    chatLife, elections, measures, publishing, grantOutcomes,
  };
}

export type Services = ReturnType<typeof createServices>;
