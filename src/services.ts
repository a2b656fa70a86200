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
import { MinutesService } from './minutes/service.js';
import { DueDigest } from './outbox/due-digest.js';
import { Outbox } from './outbox/outbox.js';
import { PeopleService } from './people/service.js';
import { RemindersService } from './reminders/service.js';
import { PollsService } from './polls/service.js';
import { Scheduler } from './scheduler/scheduler.js';
import type { DB } from './storage/db.js';
import { StoriesService } from './stories/service.js';
import { wireGrantPolls } from './grants/poll-decisions.js';

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
  const people = new PeopleService(db, clock);
  const collabs = new CollabsService(db, clock, config.COLLABOT_TZ);
  const roles = new RolesService(collabs.repo, people, config);
  people.onMerge((from, to) => collabs.repo.mergePerson(from, to));
  const pruning = registerPruning(db, scheduler, clock);
  const notes = new NotesService({ db, clock, config, log, outbox, digest, scheduler, people, collabs, roles });
  people.onMerge((from, to) => notes.repo.mergePerson(from, to));
  const polls = new PollsService({ db, clock, config, outbox, scheduler, collabs, roles, people });
  people.onMerge((from, to) => polls.mergePerson(from, to));
  const stories = new StoriesService(db, clock);
  const grants = new GrantsService(db, clock, config, outbox, scheduler, people, collabs, roles, stories);
  people.onMerge((from, to) => {
    grants.mergePerson(from, to);
    stories.mergePerson(from, to);
  });
  wireGrantPolls(grants, polls, clock, roles, (collabId) => collabs.timeZone(collabId));
  const reminders = new RemindersService(db, { clock, config, scheduler, outbox, digest, people, roles, collabs });

  const minutes = new MinutesService(db, { clock, outbox, scheduler, people, collabs, roles });

  return { db, clock, config, log, outbox, scheduler, pruning, people, collabs, roles, notes, polls, stories, grants, minutes, reminders };
}

export type Services = ReturnType<typeof createServices>;
