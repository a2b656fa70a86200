// Elected delegates' terms: the elected become delegates to the body; earlier
// elected delegates whose term has ended stop being delegates (those appointed
// by hand with /delegate add are never removed here); thirty days before a term
// ends the leads are reminded, in the chat where the election was made, to run
// the next one. Reminders and term ends are scheduler jobs.
import { DateTime } from 'luxon';
import type { Clock } from '../clock.js';
import type { RolesService } from '../collabs/roles.js';
import { chatDestination, type CollabsService } from '../collabs/service.js';
import type { MinutesService } from '../minutes/service.js';
import type { Outbox } from '../outbox/outbox.js';
import type { PeopleService } from '../people/service.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import { listWords } from '../text/format.js';
import { formatDay } from '../time/dates.js';
import type { ElectionRow, ElectionsRepo } from './repo.js';

export const REMINDER_JOB = 'election.term-reminder';
export const TERM_END_JOB = 'election.term-end';
const REMIND_BEFORE_MS = 30 * 86_400_000;

export interface TermsDeps {
  clock: Clock;
  outbox: Outbox;
  scheduler: Scheduler;
  people: PeopleService;
  collabs: CollabsService;
  roles: RolesService;
  minutes: MinutesService;
  repo: ElectionsRepo;
  announce: (e: ElectionRow, text: string) => void;
}

export class DelegateTerms {
  constructor(private d: TermsDeps) {
    d.scheduler.register<{ electionId: number }>(REMINDER_JOB, (job) => this.remind(job.payload.electionId));
    d.scheduler.register<{ electionId: number }>(TERM_END_JOB, (job) => this.termEnded(job.payload.electionId));
  }

  /** Make the elected delegates to the election's body for its term; returns when the term ends. */
  elect(e: ElectionRow, people: number[], now: number): number {
    const { repo, collabs, roles } = this.d;
    const tz = collabs.timeZone(e.collab_id);
    const endsAt = DateTime.fromMillis(now, { zone: tz }).plus({ months: e.term_months }).toMillis();
    const body = e.body;
    for (const person of people) {
      // A fresh delegate role for this body (moving them from another body if need be), dated now, so the term belongs to it.
      if (collabs.rolesOf(person).some((r) => r.role === 'delegate')) roles.unassign(person, 'delegate', null);
      roles.assign(person, 'delegate', null, body, e.created_by, now);
      repo.insertTerm(person, body, e.id, now, endsAt);
    }
    for (const c of repo.candidates(e.id)) {
      if (c.status === 'standing') repo.setCandidate(e.id, c.person_id, people.includes(c.person_id) ? 'elected' : 'not_elected', c.statement, now);
    }
    this.endExpired(body, now, people);
    this.d.scheduler.schedule(REMINDER_JOB, Math.max(now, endsAt - REMIND_BEFORE_MS), { electionId: e.id }, `election:${e.id}:reminder`);
    this.d.scheduler.schedule(TERM_END_JOB, endsAt, { electionId: e.id }, `election:${e.id}:term-end`);
    return endsAt;
  }

  /** Earlier elected delegates of the body whose term has ended stop being delegates. */
  private endExpired(body: string, now: number, keep: number[] = []): string[] {
    const ended: string[] = [];
    for (const t of this.d.repo.endedTerms(body, now)) {
      this.d.repo.endTerm(t.id, now);
      if (keep.includes(t.person_id)) continue;
      this.d.roles.unassign(t.person_id, 'delegate', null);
      ended.push(t.name);
    }
    return ended;
  }

  /** At a term's end: if a later election has filled the body, its earlier delegates stop; else they stay until one does. */
  private termEnded(electionId: number) {
    const e = this.d.repo.get(electionId);
    if (!e) return;
    const current = this.d.repo.currentTermsOf(e.id);
    if (!current.length) return;
    const now = this.d.clock.now();
    const successor = this.d.repo.laterFor(e.body, e.id).some((x) => x.status === 'decided');
    const tz = this.d.collabs.timeZone(e.collab_id);
    const names = listWords(current.map((t) => t.name));
    if (successor) {
      const ended = this.endExpired(e.body, now);
      if (ended.length) this.d.announce(e, `The term of ${listWords(ended)} as delegate to ${e.body} ended today, ${formatDay(now, tz)}. Type /delegates to see who represents the sector now.`);
      return;
    }
    const home = this.d.collabs.chat(e.chat_id);
    if (!home) return;
    const running = this.d.repo.runningFor(e.body)[0];
    const next = running ? `Election #${running.id} is under way.` : `Leads: please run the next election, e.g. /election create "${e.body}" --seats ${e.seats} --nominations 7d --voting 7d --term ${e.term_months} months`;
    const text = `The term of ${names} as delegate to ${e.body} (election #${e.id}) ended today. They stay delegates until the next election decides. ${next}`;
    this.d.outbox.enqueue(chatDestination(home), { text }, { idemKey: `election:${e.id}:term-end`, origin: `election:${e.id}` });
  }

  /** Thirty days before the term ends: remind the leads in the chat where the election was made. */
  private remind(electionId: number) {
    const e = this.d.repo.get(electionId);
    if (!e) return;
    const current = this.d.repo.currentTermsOf(e.id);
    const home = this.d.collabs.chat(e.chat_id);
    // Nobody left from this election, or the next one already started: nothing to remind.
    if (!current.length || !home || this.d.repo.laterFor(e.body, e.id).length) return;
    const tz = this.d.collabs.timeZone(e.collab_id);
    const text =
      `Leads: the term of ${listWords(current.map((t) => t.name))} as delegate to ${e.body} (election #${e.id}) ends on ${formatDay(current[0]!.ends_at, tz)}, in 30 days. ` +
      `Time to run the next election, e.g.\n/election create "${e.body}" --seats ${e.seats} --nominations 7d --voting 7d --term ${e.term_months} months`;
    this.d.outbox.enqueue(chatDestination(home), { text }, { idemKey: `election:${e.id}:reminder`, origin: `election:${e.id}` });
  }

  /** `Its delegates stay: Ana, Ben.` or `It has no delegate.` */
  holdersLine(body: string): string {
    const entry = this.d.minutes.delegates().find((x) => x.body?.toLowerCase() === body.toLowerCase());
    return entry?.names.length ? `${body} keeps its current delegates: ${listWords(entry.names)}.` : `${body} has no delegate for now.`;
  }

  /** When each elected delegate's term ends, by body (lower case) and name: for /delegates. */
  termEnds(): Map<string, number> {
    return new Map(this.d.repo.currentTerms().map((t) => [termKey(t.body, t.name), t.ends_at]));
  }
}

export function termKey(body: string, name: string): string {
  return `${body.toLowerCase()}\n${name}`;
}
