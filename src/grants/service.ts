// The grant rules: categories with caps and budgets, requests, the leads'
// decisions (approvals from different leads, or a poll), payment, reports,
// and nudges. Every state change and money movement is appended to the ledger
// in the same transaction as the change itself (the caller's transaction).
import type { Clock } from '../clock.js';
import type { RolesService } from '../collabs/roles.js';
import { chatDestination, type CollabsService } from '../collabs/service.js';
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import type { Destination } from '../model.js';
import type { Outbox } from '../outbox/outbox.js';
import type { PeopleService } from '../people/service.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { StoriesService } from '../stories/service.js';
import type { DB } from '../storage/db.js';
import { clip } from '../text/format.js';
import { exampleAmount as plain, formatMoney as gbp } from './money.js';
import { GrantAccess, type Who } from './access.js';
import { GrantNudges, nudgeKey, reportKey } from './nudges.js';
import { GrantConflictsRepo } from './conflicts.js';
import { GrantsRepo, type FundTotals, type GrantRow } from './repo.js';
import { nextState, type GrantState } from './transitions.js';

const DAY = 86_400_000;
/** Leads are nudged about a request still undecided this long after it was made. */
export const NUDGE_AFTER_MS = 3 * DAY;
/** Requesters are reminded to report this long after payment. */
export const REPORT_DUE_MS = 56 * DAY;

/** Opens the leads' proposal poll for a request decided by poll; returns the poll's id. */
export type PollOpener = (grant: GrantRow, fund: FundTotals) => number | undefined;

/** Called in the withdrawing transaction with the withdrawn grant (e.g. to close its poll). */
export type WithdrawnListener = (grant: GrantRow) => void;


export interface GrantsDeps {
  db: DB;
  clock: Clock;
  config: Pick<Config, 'COLLABOT_GRANT_APPROVALS'>;
  outbox: Outbox;
  scheduler: Scheduler;
  people: PeopleService;
  collabs: CollabsService;
  roles: RolesService;
  stories: StoriesService;
}

export class GrantsService {
  private readonly repo: GrantsRepo;
  private readonly conflicts: GrantConflictsRepo;
  private pollOpener: PollOpener | undefined;
  private withdrawnListeners: WithdrawnListener[] = [];
  private readonly access: GrantAccess;
  private readonly nudges: GrantNudges;

  constructor(private d: GrantsDeps) {
    this.repo = new GrantsRepo(d.db);
    this.conflicts = new GrantConflictsRepo(d.db);
    this.access = new GrantAccess({
      repo: this.repo,
      conflicts: this.conflicts,
      roles: d.roles,
      collabs: d.collabs,
      people: d.people,
      approvalsNeeded: () => this.approvalsNeeded,
      fund: (category) => this.fund(category),
    });
    this.nudges = new GrantNudges({
      repo: this.repo, scheduler: d.scheduler, outbox: d.outbox, people: d.people, collabs: d.collabs,
      approvalsNeeded: () => this.approvalsNeeded, undecidedLeads: (g) => this.undecidedLeads(g), title: (g) => this.title(g),
    });
  }

  get approvalsNeeded() {
    return this.d.config.COLLABOT_GRANT_APPROVALS;
  }

  // --- Funds -------------------------------------------------------------

  funds(): FundTotals[] {
    return this.repo.funds();
  }

  /** A category by what someone typed (`discovery`, `Discovery`), or a friendly error. */
  fund(typed: string): FundTotals {
    const t = typed.trim().toLowerCase();
    const all = this.repo.funds();
    const f = all.find((x) => x.category === t || x.name.toLowerCase() === t);
    if (f) return f;
    throw new UserError(
      `There is no "${typed.slice(0, 30)}" category. The categories are: ${all.map((x) => x.category).join(', ')}.\nFor example: /grant request discovery £750 Pay two members to run a consultation`,
    );
  }

  setBudget(who: Who, typed: string, budget: number): { fund: FundTotals; was: number; changed: boolean } {
    const fund = this.fund(typed);
    if (budget < fund.approved) {
      throw new UserError(
        `${gbp(fund.approved)} of ${fund.name} is already approved, so its budget can't be less than that.\nFor example: /fund set ${fund.category} ${plain(fund.approved)}`,
      );
    }
    if (budget === fund.budget) return { fund, was: fund.budget, changed: false };
    const now = this.d.clock.now();
    this.repo.setBudget(fund.category, budget, now);
    this.repo.append({
      at: now, category: fund.category, event: 'budget set', amount: budget, budgetChange: budget - fund.budget,
      actorId: who.personId, actorName: who.name, note: `was ${gbp(fund.budget)}`,
    });
    this.approveWaiting(fund.category, who);
    return { fund: this.fund(fund.category), was: fund.budget, changed: true };
  }

  /**
   * Requests the leads approved while the budget was short, oldest first, now
   * that the budget covers them: approved, reserved, and the collab told.
   */
  private approveWaiting(category: string, who: Who) {
    const needed = this.approvalsNeeded;
    const waiting = this.repo
      .list('submitted', 1000)
      .filter((g) => g.category === category && g.decided_by !== 'poll' && g.approvals >= needed)
      .sort((a, b) => a.id - b.id);
    for (const g of waiting) {
      const fund = this.fund(category);
      if (g.amount > fund.remaining) continue;
      this.move(g, nextState(g.id, g.state, 'approve'), { event: 'approved', by: `the leads' approvals, counted when ${who.name} raised the budget`, approvedChange: g.amount });
      this.d.scheduler.cancel(nudgeKey(g.id));
      const left = this.fund(category);
      this.announce(g.collab_id, `Good news: grant ${this.title(g)} is approved. The leads had approved it, and now the ${fund.name} budget covers it: ${gbp(g.amount)} is reserved, ${gbp(left.remaining)} is left. Next: an admin marks it paid with /grant paid ${g.id}`);
    }
  }

  setCap(who: Who, typed: string, cap: number | null): { fund: FundTotals; changed: boolean } {
    const fund = this.fund(typed);
    if (cap === fund.cap) return { fund, changed: false };
    const now = this.d.clock.now();
    this.repo.setCap(fund.category, cap, now);
    this.repo.append({
      at: now, category: fund.category, event: 'cap set', amount: cap,
      actorId: who.personId, actorName: who.name, note: `was ${capText(fund.cap)}`,
    });
    return { fund: this.fund(fund.category), changed: true };
  }

  // --- Requests ----------------------------------------------------------

  /** The polls feature sets this so Enabling and Invest requests open a leads' proposal poll. */
  setPollOpener(open: PollOpener) {
    this.pollOpener = open;
  }

  /** Other features react to a request being withdrawn (the polls feature closes its poll). */
  onWithdrawn(listener: WithdrawnListener) {
    this.withdrawnListeners.push(listener);
  }

  /**
   * A request for `amount` pence from a collab. Refused over the category's
   * cap or the fund's remaining budget. Requests decided by approvals tell the
   * leads by direct message and schedule a nudge; the others open a poll.
   */
  request(who: Who, collabId: number, typed: string, amount: number, purpose: string, platform?: string) {
    const fund = this.fund(typed);
    if (fund.cap !== null && amount > fund.cap) {
      const bigger = this.repo.funds().find((f) => f.position > fund.position && (f.cap === null || f.cap >= amount));
      throw new UserError(
        `${fund.name} grants are up to ${gbp(fund.cap)}, and this asks for ${gbp(amount)}.\n` +
          `Ask for ${gbp(fund.cap)} or less, e.g. /grant request ${fund.category} ${plain(fund.cap)} <what it is for>` +
          (bigger ? `, or ask for a${/^[aeiou]/i.test(bigger.name) ? 'n' : ''} ${bigger.name} grant: /grant request ${bigger.category} ${plain(amount)} <what it is for>` : '') +
          '.',
      );
    }
    if (amount > fund.remaining) {
      throw new UserError(
        `The ${fund.name} fund has ${gbp(fund.remaining)} left (budget ${gbp(fund.budget)}, approved ${gbp(fund.approved)}), and this asks for ${gbp(amount)}.\n` +
          (fund.budget === 0
            ? `An admin can set its budget first, e.g. /fund set ${fund.category} 5000`
            : `Ask for ${gbp(fund.remaining)} or less, e.g. /grant request ${fund.category} ${plain(fund.remaining)} <what it is for>`),
      );
    }
    const now = this.d.clock.now();
    const id = this.repo.insertGrant(collabId, fund.category, amount, purpose, who.personId, now);
    // Fixed now: dropping a role later does not clear a conflict of interest.
    this.conflicts.add(id, who.personId, 'requester');
    for (const p of this.d.roles.holders('facilitator', collabId)) this.conflicts.add(id, p, 'facilitator');
    this.repo.append({
      at: now, category: fund.category, grantId: id, event: 'requested', toState: 'submitted', amount,
      actorId: who.personId, actorName: who.name, note: purpose,
    });
    let grant = this.repo.grant(id)!;
    if (fund.decided_by === 'poll') {
      const pollId = this.pollOpener?.(grant, fund);
      if (pollId !== undefined) this.repo.setPoll(id, pollId);
      grant = this.repo.grant(id)!;
      return { grant, fund, byPoll: true, leadsTold: 0 };
    }
    this.d.scheduler.schedule('grants.nudge', now + NUDGE_AFTER_MS, { grantId: id }, nudgeKey(id));
    const leads = this.undecidedLeads(grant);
    const title = this.title(grant);
    for (const lead of leads) {
      this.nudges.dm(lead, `New grant request: ${title}.\nTo decide, type /grant approve ${id} or /grant decline ${id} <reason>. Details: /grant show ${id}`, platform);
    }
    return { grant, fund, byPoll: false, leadsTold: leads.length };
  }

  withdraw(who: Who, id: number) {
    const grant = this.require(id);
    const to = nextState(id, grant.state, 'withdraw');
    this.access.requireRequester(who, grant, `withdraw it`);
    this.move(grant, to, { event: 'withdrawn', actor: who });
    this.d.scheduler.cancel(nudgeKey(id));
    const withdrawn = this.repo.grant(id)!;
    for (const listener of this.withdrawnListeners) listener(withdrawn);
    return withdrawn;
  }

  // --- Decisions ---------------------------------------------------------

  /**
   * One lead's approval. The approval that completes the count moves the grant
   * to approved and reserves its money; an approval the remaining budget cannot
   * cover is refused with the numbers.
   */
  approve(who: Who, id: number, note: string | null) {
    const grant = this.require(id);
    const to = nextState(id, grant.state, 'approve');
    const { fund, approvals } = this.access.checkMayDecide(who, grant, 'approve');
    const count = approvals + 1;
    const needed = this.approvalsNeeded;
    if (grant.amount > fund.remaining && count >= needed && fund.budget > 0) {
      // The leads have decided; only the money is missing. Keep the approval and count it when the budget allows.
      const now = this.d.clock.now();
      this.repo.decide(id, who.personId, 'approve', note, now);
      const waiting = `approved by the leads, waiting for budget: ${gbp(fund.remaining)} left in ${fund.name}`;
      this.repo.append({ at: now, category: grant.category, grantId: id, event: 'approval', amount: grant.amount, actorId: who.personId, actorName: who.name, note: note ? `${note} (${waiting})` : waiting });
      return { grant, fund, count, needed, approved: false, waitingForBudget: true };
    }
    if (grant.amount > fund.remaining && count >= needed) {
      throw new UserError(
        `Approving grant #${id} would go over the ${fund.name} budget: it is ${gbp(grant.amount)}, and ${gbp(fund.remaining)} is left ` +
          `(budget ${gbp(fund.budget)}, approved ${gbp(fund.approved)}).\n` +
          `A lead can decline it, e.g. /grant decline ${id} The ${fund.name} fund has run out, or an admin can raise the budget, e.g. /fund set ${fund.category} ${plain(fund.approved + grant.amount)}`,
      );
    }
    const now = this.d.clock.now();
    this.repo.decide(id, who.personId, 'approve', note, now);
    if (count < needed) {
      this.repo.append({ at: now, category: grant.category, grantId: id, event: 'approval', amount: grant.amount, actorId: who.personId, actorName: who.name, note });
      return { grant, fund, count, needed, approved: false };
    }
    this.move(grant, to, { event: 'approved', actor: who, note, approvedChange: grant.amount });
    this.d.scheduler.cancel(nudgeKey(id));
    return { grant: this.repo.grant(id)!, fund: this.fund(grant.category), count, needed, approved: true };
  }

  /** One lead's decline, with a reason, ends the request. */
  decline(who: Who, id: number, reason: string) {
    const grant = this.require(id);
    const to = nextState(id, grant.state, 'decline');
    this.access.checkMayDecide(who, grant, 'decline');
    const now = this.d.clock.now();
    this.repo.decide(id, who.personId, 'decline', reason, now);
    this.move(grant, to, { event: 'declined', actor: who, note: reason });
    this.d.scheduler.cancel(nudgeKey(id));
    return this.repo.grant(id)!;
  }

  /**
   * The leads' poll on an Enabling or Invest request has closed: approve it
   * (reserving the money) if it passed and the budget still covers it, else
   * decline it, with the reason in the ledger. Call in the poll's closing
   * transaction. Returns the new state, or undefined when there was nothing
   * to decide (the request was withdrawn meanwhile, or belongs to another poll).
   */
  /** `objections`: the reasons given with blocks and disagreements, kept in the ledger. */
  applyPollOutcome(grantId: number, passed: boolean, pollId: number, objections?: string): GrantState | undefined {
    const grant = this.repo.grant(grantId);
    if (!grant) throw new Error(`applyPollOutcome: there is no grant #${grantId}`);
    const fund = this.fund(grant.category);
    if (fund.decided_by !== 'poll') throw new Error(`applyPollOutcome: grant #${grantId} is decided by approvals, not by poll`);
    if (grant.state !== 'submitted' || (grant.poll_id !== null && grant.poll_id !== pollId)) return undefined;
    const by = `leads' poll #${pollId}`;
    let text: string;
    if (passed && grant.amount <= fund.remaining) {
      this.move(grant, nextState(grantId, grant.state, 'approve'), { event: 'approved', by, note: `${by} passed${objections ? `. Reasons given: ${objections}` : ''}`.slice(0, 1000), approvedChange: grant.amount });
      text = `Grant #${grantId} is approved: the ${by} passed. ${gbp(grant.amount)} is reserved from ${fund.name}.`;
    } else {
      const reason = passed ? `${by} passed, but the ${fund.name} fund has only ${gbp(fund.remaining)} left` : `${by} did not pass`;
      const note = objections ? `${reason}. Reasons given: ${objections}` : reason;
      this.move(grant, nextState(grantId, grant.state, 'decline'), { event: 'declined', by, note: note.slice(0, 1000) });
      text = `Grant #${grantId} is declined: the ${reason}. Type /grant show ${grantId} for its history.`;
    }
    this.announce(grant.collab_id, text);
    return this.repo.grant(grantId)!.state;
  }

  // --- Payment and reports -------------------------------------------------

  markPaid(who: Who, id: number) {
    const grant = this.require(id);
    const to = nextState(id, grant.state, 'pay');
    this.move(grant, to, { event: 'paid', actor: who, paidChange: grant.amount });
    this.d.scheduler.schedule('grants.ask-report', this.d.clock.now() + REPORT_DUE_MS, { grantId: id }, reportKey(id));
    return this.repo.grant(id)!;
  }

  /** The requester's report of what happened: the grant becomes reported, and the report an impact story. */
  report(who: Who, id: number, text: string, outcome: string | null) {
    const grant = this.require(id);
    const to = nextState(id, grant.state, 'report');
    this.access.requireRequester(who, grant, 'report on it');
    const storyId = this.d.stories.add(grant.collab_id, who.personId, text, outcome, id);
    this.move(grant, to, { event: 'reported', actor: who, note: `story #${storyId}: ${text}` });
    this.d.scheduler.cancel(reportKey(id));
    return { grant: this.repo.grant(id)!, storyId };
  }

  // --- Reading -----------------------------------------------------------

  get(id: number): GrantRow | undefined {
    return this.repo.grant(id);
  }

  require(id: number): GrantRow {
    const g = this.repo.grant(id);
    if (g) return g;
    throw new UserError(`There is no grant #${id}. Type /grants to see them all.`);
  }

  list(state: GrantState | null, limit = 20) {
    return { grants: this.repo.list(state, limit), total: this.repo.count(state) };
  }

  decisions(id: number) {
    return this.repo.decisions(id);
  }

  history(id: number) {
    return this.repo.history(id);
  }

  ledger() {
    return this.repo.ledger();
  }

  /** `#1 from Food Network: £750.00 (Discovery) for "…"`. */
  title(g: GrantRow): string {
    const collab = this.d.collabs.collab(g.collab_id)?.name ?? `collab ${g.collab_id}`;
    return `#${g.id} from ${collab}: ${gbp(g.amount)} (${this.fund(g.category).name}) for “${clip(g.purpose, 120)}”`;
  }

  /** Tell every chat of the collab, except the one the news was typed in. */
  announce(collabId: number, text: string, except?: Destination) {
    for (const chat of this.d.collabs.chatsOf(collabId)) {
      if (except && chat.platform === except.platform && chat.chat_id === except.chatId) continue;
      this.d.outbox.enqueue(chatDestination(chat), { text });
    }
  }

  mergePerson(from: number, to: number) {
    this.conflicts.mergePerson(from, to);
    this.repo.mergePerson(from, to);
  }

  // --- Rules -------------------------------------------------------------

  /** Leads who may decide this grant (not conflicted) and have not yet. */
  undecidedLeads(grant: GrantRow): number[] {
    return this.access.undecidedLeads(grant);
  }

  /** Why this person may not decide on this grant, if they may not. */
  conflict(personId: number, grant: GrantRow): string | undefined {
    return this.access.conflict(personId, grant);
  }

  /** Change the grant's state and append the change to the ledger (one transaction: the caller's). */
  private move(
    grant: GrantRow,
    to: GrantState,
    e: { event: string; actor?: Who; by?: string; note?: string | null; approvedChange?: number; paidChange?: number },
  ) {
    const now = this.d.clock.now();
    if (!this.repo.setState(grant.id, grant.state, to, now)) throw new Error(`grant #${grant.id} changed state under us`);
    this.repo.append({
      at: now, category: grant.category, grantId: grant.id, event: e.event, fromState: grant.state, toState: to, amount: grant.amount,
      approvedChange: e.approvedChange ?? 0, paidChange: e.paidChange ?? 0,
      actorId: e.actor?.personId ?? null, actorName: e.actor?.name ?? e.by ?? null, note: e.note ?? null,
    });
  }
}

export function capText(cap: number | null): string {
  return cap === null ? 'no cap' : `up to ${gbp(cap)} a grant`;
}
