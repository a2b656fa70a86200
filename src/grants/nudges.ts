// The grant jobs: leads nudged about a request still undecided after three
// days, and the requester asked for a report eight weeks after payment.
import type { CollabsService } from '../collabs/service.js';
import type { Outbox } from '../outbox/outbox.js';
import type { PeopleService } from '../people/service.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { GrantRow, GrantsRepo } from './repo.js';

export const nudgeKey = (id: number) => `grant:${id}:nudge`;
export const reportKey = (id: number) => `grant:${id}:report`;

export interface GrantNudgesDeps {
  repo: GrantsRepo;
  scheduler: Scheduler;
  outbox: Outbox;
  people: PeopleService;
  collabs: CollabsService;
  approvalsNeeded(): number;
  /** Leads who may decide this grant and have not yet. */
  undecidedLeads(grant: GrantRow): number[];
  title(grant: GrantRow): string;
}

export class GrantNudges {
  constructor(private d: GrantNudgesDeps) {
    d.scheduler.register<{ grantId: number }>('grants.nudge', (job) => this.nudgeLeads(job.payload.grantId));
    d.scheduler.register<{ grantId: number }>('grants.ask-report', (job) => this.remindReport(job.payload.grantId));
  }

  /** Three days on and still undecided: a direct message to each lead who may decide and has not. */
  private nudgeLeads(grantId: number) {
    const grant = this.d.repo.grant(grantId);
    if (!grant || grant.state !== 'submitted') return;
    const count = this.d.repo.decisions(grantId).filter((d) => d.decision === 'approve').length;
    const text =
      `Reminder: grant request ${this.d.title(grant)} has been waiting 3 days for the leads' decision ` +
      `(${count} of ${this.d.approvalsNeeded()} approvals so far).\nType /grant approve ${grantId} or /grant decline ${grantId} <reason>. Details: /grant show ${grantId}`;
    for (const lead of this.d.undecidedLeads(grant)) this.dm(lead, text, this.platformOf(grant.collab_id));
  }

  /** Eight weeks after payment: a direct message asking the requester for the report. */
  private remindReport(grantId: number) {
    const grant = this.d.repo.grant(grantId);
    if (!grant || grant.state !== 'paid') return;
    this.dm(
      grant.requested_by,
      `Grant ${this.d.title(grant)} was paid 8 weeks ago. Please tell the leads what difference it made, in a few sentences:\n` +
        `/grant report ${grantId} <what happened>, e.g. /grant report ${grantId} 40 people came to the consultation and we now run a weekly food share`,
      this.platformOf(grant.collab_id),
    );
  }

  private platformOf(collabId: number): string | undefined {
    return this.d.collabs.chatsOf(collabId)[0]?.platform;
  }

  /** A direct message, on `platform` if the person is on it. */
  dm(personId: number, text: string, platform?: string) {
    const to = this.d.people.directTo(personId, platform);
    if (to) this.d.outbox.enqueue(to, { text });
  }
}
