// The rules of an election that need no database: limits, the state machine
// as a table of allowed transitions, and small wording helpers.
import { plural } from '../text/format.js';
import type { ElectionStatus } from './repo.js';

export const LIMITS = { body: 100, statement: 500, seats: 10, candidates: 20, minStage: 3_600_000, maxStage: 90 * 86_400_000, termMonths: 60 };
export const NOMINATIONS_JOB = 'election.nominations';
/** The result is announced by a job due at once, so it follows the poll's own results in every chat. */
export const RESULT_JOB = 'election.result';
export const CREATE_EXAMPLE = '/election create "Community Planning Partnership" --seats 2 --nominations 7d --voting 7d --term 12 months';

export type ElectionAction = 'stand' | 'nominate' | 'accept' | 'withdraw' | 'closeNominations' | 'closeVoting';

/** The election's state machine, as one table: the actions allowed in each status and where each leads. */
export const TRANSITIONS: Record<ElectionStatus, Partial<Record<ElectionAction, readonly ElectionStatus[]>>> = {
  nominations: { stand: ['nominations'], nominate: ['nominations'], accept: ['nominations'], withdraw: ['nominations'], closeNominations: ['voting', 'decided', 'lapsed'] },
  voting: { closeVoting: ['decided', 'lapsed'] },
  decided: {},
  lapsed: {},
};

export const STAGE_NAMES: Record<ElectionStatus, string> = {
  nominations: 'nominations open',
  voting: 'voting open',
  decided: 'decided',
  lapsed: 'lapsed',
};

export function voteDays(ms: number): string {
  const days = ms / 86_400_000;
  return Number.isInteger(days) ? plural(days, 'day') : plural(Math.round(ms / 3_600_000), 'hour');
}

/** `Ana`, `Ana (2)`: option labels must differ. */
export function uniqueLabels(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n.toLowerCase()) ?? 0) + 1;
    seen.set(n.toLowerCase(), k);
    return k === 1 ? n : `${n} (${k})`;
  });
}
