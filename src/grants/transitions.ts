// The grant state machine, as one table: for each state, the actions allowed
// in it and the state each leads to. Anything not in the table is refused.
import { UserError } from '../errors.js';

export const GRANT_STATES = ['submitted', 'approved', 'declined', 'withdrawn', 'paid', 'reported'] as const;
export type GrantState = (typeof GRANT_STATES)[number];

export const GRANT_ACTIONS = ['approve', 'decline', 'withdraw', 'pay', 'report'] as const;
export type GrantAction = (typeof GRANT_ACTIONS)[number];

export const TRANSITIONS: Record<GrantState, Partial<Record<GrantAction, GrantState>>> = {
  submitted: { approve: 'approved', decline: 'declined', withdraw: 'withdrawn' },
  approved: { pay: 'paid' },
  paid: { report: 'reported' },
  declined: {},
  withdrawn: {},
  reported: {},
};

/** What each state means, for refusals. */
const MEANING: Record<GrantState, string> = {
  submitted: 'waiting for the leads to decide',
  approved: 'waiting to be paid',
  paid: "waiting for the requester's report",
  declined: 'that is final',
  withdrawn: 'that is final',
  reported: 'that is final',
};

const DONE: Record<GrantAction, string> = {
  approve: 'approved',
  decline: 'declined',
  withdraw: 'withdrawn',
  pay: 'marked paid',
  report: 'reported on',
};

/** The state `action` leads to from `state`, or a refusal that names the current state. */
export function nextState(grantId: number, state: GrantState, action: GrantAction): GrantState {
  const to = TRANSITIONS[state][action];
  if (to) return to;
  throw new UserError(
    `Grant #${grantId} is ${state} (${MEANING[state]}), so it can't be ${DONE[action]}.\nType /grant show ${grantId} to see its history.`,
  );
}

export function isGrantState(s: string): s is GrantState {
  return (GRANT_STATES as readonly string[]).includes(s);
}
