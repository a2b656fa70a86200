// Reminders: the rules. A reminder is a row; its pending occurrence is one
// scheduler job keyed `reminder:<id>`. The job's handler runs in the claiming
// transaction: it writes the message to the outbox and schedules the next
// occurrence, so an occurrence is done entirely or not at all, exactly once.
import type { DueDigest } from '../outbox/due-digest.js';
import { Duration } from 'luxon';
import type { Clock } from '../clock.js';
import type { RolesService } from '../collabs/roles.js';
import type { ChatRow } from '../collabs/repo.js';
import { chatDestination, type CollabsService } from '../collabs/service.js';
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import type { Outbox } from '../outbox/outbox.js';
import type { PeopleService } from '../people/service.js';
import type { Job, Scheduler } from '../scheduler/scheduler.js';
import type { DB } from '../storage/db.js';
import { formatMoment, localDate } from '../time/dates.js';
import { latestOccurrence, nextOccurrence } from './recurrence.js';
import { describeInterval, readInterval } from './interval.js';
import { RemindersRepo, type ReminderRow, type ReminderStatus } from './repo.js';
import type { Schedule } from './when.js';

export const REMINDER_JOB = 'reminders.send';
/** Sent more than this after its time (after downtime), a reminder says it is late. */
const LATE_MARK_MS = 60_000;
/** Active or paused reminders one chat, or one person, may have. */
export const MAX_REMINDERS = 100;
export const MAX_TEXT = 1000;

/** Allowed status changes. */
const TRANSITIONS: Record<ReminderStatus, ReminderStatus[]> = {
  active: ['paused', 'cancelled', 'done'],
  paused: ['active', 'cancelled'],
  done: [],
  cancelled: [],
};
const STATE_WORDS: Record<ReminderStatus, string> = {
  active: 'is on, not paused',
  paused: 'is paused',
  done: 'is finished (its time has passed)',
  cancelled: 'was cancelled',
};

export interface RemindersDeps {
  db: DB;
  clock: Clock;
  config: Pick<Config, 'COLLABOT_MISSED_GRACE'>;
  scheduler: Scheduler;
  outbox: Outbox;
  /** Reminders due in the same minute for the same chat go out as one message. */
  digest: DueDigest;
  people: PeopleService;
  roles: RolesService;
  collabs: CollabsService;
}

export interface NewReminderInput {
  chat: ChatRow;
  /** Set for `/remind me`: a direct message to this person. */
  personId: number | null;
  createdBy: number;
  text: string;
  whenText: string;
  schedule: Schedule;
  tz: string;
}

const jobKey = (id: number) => `reminder:${id}`;
/** Origin of messages about reminders (not reminders themselves): their failures are not reported again. */
const NOTICE = 'reminder-notice';

export class RemindersService {
  private readonly repo: RemindersRepo;

  constructor(private deps: RemindersDeps) {
    this.repo = new RemindersRepo(deps.db);
    deps.scheduler.register<{ reminderId: number }>(REMINDER_JOB, (job) => this.occur(job));
    deps.outbox.onFailure((row) => this.undelivered(row.origin, row.id));
  }

  /** Two accounts became one person (/link): their records move to the one kept. */
  mergePerson(from: number, to: number) {
    this.repo.mergePerson(from, to);
  }

  create(input: NewReminderInput): ReminderRow {
    if (input.text.length > MAX_TEXT) throw new UserError(`That reminder is too long (${input.text.length} characters). Please keep it under ${MAX_TEXT}.`);
    const count = input.personId !== null ? this.repo.countOfPerson(input.personId) : this.repo.countOfChat(input.chat.id);
    if (count >= MAX_REMINDERS) {
      throw new UserError(
        `${input.personId !== null ? 'You have' : 'This chat has'} ${MAX_REMINDERS} reminders, the most I keep. ` +
          `Cancel one first: type ${input.personId !== null ? '/reminders me' : '/reminders'} to see them, then e.g. /remind cancel 3`,
      );
    }
    const nextAt = input.schedule.kind === 'once' ? input.schedule.at : input.schedule.first;
    const id = this.repo.insert(
      {
        chatId: input.chat.id,
        collabId: input.chat.collab_id,
        personId: input.personId,
        createdBy: input.createdBy,
        text: input.text,
        whenText: input.whenText,
        cron: input.schedule.kind === 'repeat' ? input.schedule.cron : null,
        tz: input.tz,
        nextAt,
      },
      this.deps.clock.now(),
    );
    this.deps.scheduler.schedule(REMINDER_JOB, nextAt, { reminderId: id }, jobKey(id));
    return this.repo.get(id)!;
  }

  /** A chat's own reminders, soonest first. */
  ofChat(chatId: number, limit = 30) {
    return this.repo.ofChat(chatId, limit);
  }

  /** Reminders sent to this person by direct message, soonest first. */
  ofPerson(personId: number, limit = 30) {
    return this.repo.ofPerson(personId, limit);
  }

  cancel(id: number, actor: number): ReminderRow {
    const r = this.manageable(id, actor, 'cancel');
    this.move(r, 'cancelled', null, 'cancel');
    this.deps.scheduler.cancel(jobKey(id));
    return r;
  }

  pause(id: number, actor: number): ReminderRow {
    const r = this.manageable(id, actor, 'pause');
    // A paused reminder keeps its next time, so a one-off can be resumed for it.
    this.move(r, 'paused', r.next_at, 'pause');
    this.deps.scheduler.cancel(jobKey(id));
    return r;
  }

  /** Resume from the next time still ahead; returns that time. */
  resume(id: number, actor: number): { reminder: ReminderRow; nextAt: number } {
    const r = this.manageable(id, actor, 'resume');
    const now = this.deps.clock.now();
    // A one-off that already went off is finished, not paused.
    if (!r.cron && r.next_at === null) {
      const again = `${r.person_id !== null ? '/remind me' : '/remind'} tomorrow at 9 ${r.text.slice(0, 40)}`;
      throw new UserError(`Reminder ${id} is finished: it went off${r.last_at ? ` on ${formatMoment(r.last_at, r.tz)}` : ''}. To be reminded again, set a new one, e.g. ${again}`);
    }
    const nextAt = r.cron ? nextOccurrence(r.cron, now, r.tz) : r.next_at;
    if (nextAt === undefined || nextAt === null || nextAt <= now) {
      throw new UserError(
        `Reminder ${id} was due ${nextAt ? formatMoment(nextAt, r.tz) : 'earlier'}, which passed while it was paused. ` +
          `Cancel it with /remind cancel ${id} and set a new one, e.g. ${r.person_id !== null ? '/remind me' : '/remind'} tomorrow at 9 ${r.text.slice(0, 40)}`,
      );
    }
    this.move(r, 'active', nextAt, 'resume');
    this.deps.scheduler.schedule(REMINDER_JOB, nextAt, { reminderId: id }, jobKey(id));
    return { reminder: r, nextAt };
  }

  /** The scheduler job: send this occurrence (or skip it after long downtime) and schedule the next. */
  private occur(job: Job<{ reminderId: number }>) {
    const r = this.repo.get(job.payload.reminderId);
    // Paused, cancelled or moved since this job was written: nothing to do.
    if (!r || r.status !== 'active' || r.next_at !== job.dueAt) return;
    const now = this.deps.clock.now();
    let latest = job.dueAt;
    let next = r.cron ? (nextOccurrence(r.cron, job.dueAt, r.tz) ?? null) : null;
    if (r.cron && next !== null && next <= now) {
      // Downtime spanned several of its times: only the latest may still go out, then on from the next one ahead.
      latest = Math.max(job.dueAt, latestOccurrence(r.cron, now, r.tz) ?? 0);
      next = nextOccurrence(r.cron, now, r.tz) ?? null;
    }
    const send = now - latest <= this.deps.config.COLLABOT_MISSED_GRACE;
    if (send) {
      const late = now - latest >= LATE_MARK_MS ? ` (late: due ${dueLabel(latest, now, r.tz)})` : '';
      this.sendTo(r, r.person_id, `Reminder: ${r.text}${late}`, `reminder:${r.id}:${latest}`, `reminder:${r.id}`, true);
    }
    if (!send || latest > job.dueAt) this.tellMissed(r, job.dueAt, send ? latest : null, next);
    this.repo.occurred(r.id, latest, send, next, now);
    if (next !== null) this.deps.scheduler.schedule(REMINDER_JOB, next, { reminderId: r.id }, jobKey(r.id));
  }

  /** Tell whoever set the reminder that downtime made me skip it (or some of its times). */
  private tellMissed(r: ReminderRow, missedFrom: number, sentLate: number | null, next: number | null) {
    const what = `reminder ${r.id} ("${r.text.slice(0, 80)}")`;
    const grace = Duration.fromMillis(this.deps.config.COLLABOT_MISSED_GRACE).rescale().toHuman();
    const text =
      sentLate === null
        ? `I was offline when ${what} was due (${formatMoment(missedFrom, r.tz)}). That is more than ${grace} ago, so I did not send it.`
        : `I was offline and skipped ${what} from ${formatMoment(missedFrom, r.tz)}; I sent only its latest time (${formatMoment(sentLate, r.tz)}), late.`;
    this.sendTo(r, r.created_by, text + (next !== null ? ` Next time: ${formatMoment(next, r.tz)}.` : ''), `reminder:${r.id}:${missedFrom}:missed`, NOTICE);
  }

  /** A reminder could not be delivered after every attempt (say the bot was removed from the chat): tell whoever set it. */
  private undelivered(origin: string | null, outboxId: number) {
    const id = /^reminder:(\d+)$/.exec(origin ?? '')?.[1];
    const r = id ? this.repo.get(Number(id)) : undefined;
    if (!r) return;
    const where = r.person_id === null ? `to ${this.deps.collabs.chat(r.chat_id)?.name ?? 'its chat'}` : 'to you';
    const stop = r.status === 'active' && r.cron ? ` If it keeps failing, stop it with /remind cancel ${r.id}` : '';
    this.sendTo(r, r.created_by, `I could not deliver reminder ${r.id} ("${r.text.slice(0, 80)}") ${where}.${stop}`, `reminder:${r.id}:failed:${outboxId}`, NOTICE);
  }

  /** To a person by direct message (on the platform the reminder was set on, if they are there), or to the reminder's chat. */
  private sendTo(r: ReminderRow, personId: number | null, text: string, idemKey: string, origin: string, digest = false) {
    const chat = this.deps.collabs.chat(r.chat_id)!;
    const to = personId === null ? chatDestination(chat) : this.deps.people.directTo(personId, chat.platform);
    if (to && digest) this.deps.digest.send(to, text, { idemKey, origin });
    else if (to) this.deps.outbox.enqueue(to, { text }, { idemKey, origin });
  }

  /** The reminder, if this person may change it: who set it, a facilitator of its collab (chat reminders), or an admin. */
  private manageable(id: number, actor: number, verb: string): ReminderRow {
    const { roles, collabs } = this.deps;
    const r = this.repo.get(id);
    const admin = roles.isAdmin(actor);
    // Someone else's personal reminder: do not even confirm it exists.
    if (!r || (r.person_id !== null && r.person_id !== actor && r.created_by !== actor && !admin)) {
      throw new UserError(`There is no reminder ${id}. Type /reminders to see the reminders here, with their numbers.`);
    }
    if (r.created_by === actor || admin) return r;
    if (r.person_id === null && r.collab_id !== null && roles.has(actor, 'facilitator', r.collab_id)) return r;
    const collab = r.collab_id !== null ? collabs.collab(r.collab_id)?.name : undefined;
    throw new UserError(`Only the person who set reminder ${id}, ${collab ? `a facilitator of ${collab}` : 'a facilitator'} or an admin can ${verb} it.`);
  }

  private move(r: ReminderRow, to: ReminderStatus, nextAt: number | null, verb: string) {
    if (!TRANSITIONS[r.status].includes(to)) {
      throw new UserError(`Reminder ${r.id} ${STATE_WORDS[r.status]}, so there is nothing to ${verb}. Type /reminders to see the reminders here.`);
    }
    this.repo.setStatus(r.id, to, nextAt, this.deps.clock.now());
  }
}

/** `09:00` if it was today, otherwise `Mon 29 Mar 2027, 09:00`. */
function dueLabel(at: number, now: number, tz: string): string {
  const full = formatMoment(at, tz);
  return localDate(at, tz) === localDate(now, tz) ? full.slice(-5) : full;
}

/** One line of /reminders: `3. Fri 27 Nov 2026, 10:00 — Send your stats`. */
export function describeReminder(r: ReminderRow): string {
  const when = r.status === 'paused' ? 'paused' : formatMoment(r.next_at!, r.tz);
  const interval = r.cron ? readInterval(r.cron) : undefined;
  const repeat = r.cron ? ` (${interval ? describeInterval(interval) : r.when_text})` : '';
  const text = r.text.length > 100 ? r.text.slice(0, 100) + '…' : r.text;
  return `${r.id}. ${when}${repeat} — ${text}`;
}
