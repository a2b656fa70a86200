// A poll's timed jobs: closing at its closing time, and the reminder a day before.
import type { Clock } from '../clock.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { PollRow } from './repo.js';

export const CLOSE_JOB = 'polls.close';
export const WARN_JOB = 'polls.warn';
const DAY = 24 * 3600_000;
/** The 24-hour reminder is skipped for polls shorter than this (everyone has just seen them). */
const MIN_WARN_LEAD = DAY + 3600_000;
/** A reminder run later than this before closing (the bot was down) is dropped: the results come soon. */
export const LATEST_WARNING = DAY / 2;

export class PollJobs {
  constructor(
    private d: { scheduler: Scheduler; clock: Clock },
    run: { close(pollId: number): void; warn(pollId: number): void },
  ) {
    d.scheduler.register<{ pollId: number }>(CLOSE_JOB, (job) => run.close(job.payload.pollId));
    d.scheduler.register<{ pollId: number }>(WARN_JOB, (job) => run.warn(job.payload.pollId));
  }

  /** (Re)schedule for the poll's closing time; none without one. */
  schedule(poll: PollRow) {
    const key = jobKeys(poll.id);
    if (poll.closes_at === null) return this.cancel(poll.id);
    this.d.scheduler.schedule(CLOSE_JOB, poll.closes_at, { pollId: poll.id }, key.close);
    if (poll.closes_at - this.d.clock.now() >= MIN_WARN_LEAD) this.d.scheduler.schedule(WARN_JOB, poll.closes_at - DAY, { pollId: poll.id }, key.warn);
    else this.d.scheduler.cancel(key.warn);
  }

  cancel(pollId: number) {
    const key = jobKeys(pollId);
    this.d.scheduler.cancel(key.close);
    this.d.scheduler.cancel(key.warn);
  }
}

function jobKeys(pollId: number) {
  return { close: `poll:${pollId}:close`, warn: `poll:${pollId}:warn` };
}
