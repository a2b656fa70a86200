// The poll rules: who may vote where, one vote per person, anonymous ballots,
// opening and closing (by hand or at the closing time), outcomes, exports, and
// the hooks other features use (a proposal decided by leads; their rules; onClosed).
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { ChatRow } from '../collabs/repo.js';
import type { RolesService } from '../collabs/roles.js';
import { chatDestination, type CollabsService } from '../collabs/service.js';
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import type { OutMessage } from '../model.js';
import type { Outbox } from '../outbox/outbox.js';
import type { PeopleService } from '../people/service.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { DB } from '../storage/db.js';
import { formatMoment } from '../time/dates.js';
import { AnonymousBallots } from './anonymous-ballots.js';
import { toCsv } from '../text/csv.js';
import { describeBallot, parseBallot, sameBallot, type BallotEntry, type Option, type PollType } from './ballot.js';
import { pollView, renderPoll, renderResults, renderWarning, type PollState } from './render.js';
import { PollsRepo, type PollRow, type PollStatus } from './repo.js';
import { buildResult, PROPOSAL_OPTIONS, type PollResult } from './tally.js';

export const POLL_TYPES = ['choice', 'proposal', 'ranked', 'score'] as const satisfies readonly PollType[];
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 20;
export const MAX_QUESTION = 300;
export const MAX_LABEL = 100;
export const MAX_OUTCOME = 2000;
const DAY = 24 * 3600_000;
/** The 24-hour reminder is skipped for polls shorter than this (everyone has just seen them). */
const MIN_WARN_LEAD = DAY + 3600_000;
const MAX_OPEN = 366 * DAY;
const NAMES_IN_REMINDER = 20;

export const CLOSE_JOB = 'poll.close';
export const WARN_JOB = 'poll.warn';

type PollAction = 'vote' | 'unvote' | 'close' | 'reopen' | 'outcome';

/** The poll state machine, as one table: for each status, the actions allowed in it and the status each leads to. */
export const TRANSITIONS: Record<PollStatus, Partial<Record<PollAction, PollStatus>>> = {
  open: { vote: 'open', unvote: 'open', close: 'closed' },
  closed: { reopen: 'open', outcome: 'closed' },
};

const AT_CLOSING_TIME = 'It has reached its closing time.';

export interface NewPoll {
  question: string;
  /** Not for proposals (their options are fixed). */
  options?: string[];
  type?: PollType;
  multi?: number;
  anonymous?: boolean;
  hidden?: boolean;
  closesAt?: number;
  quorum?: number;
  /** Post to every chat subscribed with /subscribe polls (leads and admins only). */
  everywhere?: boolean;
  /** Ask for the platform's own poll (Discord), where its limits allow. Choice polls and proposals only. */
  native?: boolean;
  /** Only holders of this role may vote, e.g. leads deciding a grant. */
  voterRole?: 'lead';
  /** What the poll decides, e.g. 'grant:7'; onClosed listeners use it. */
  origin?: string;
  /** Who asked (null: the system, e.g. another feature). */
  createdBy: number | null;
  /** The collab it belongs to: all its chats show the poll. */
  collabId: number | null;
  /** The chat the command came from: the post answers that message. */
  from?: Origin;
  /** More chats to post it to. */
  chats?: ChatRow[];
}

/** Where a command came from, so the answer can quote it. */
export interface Origin {
  chat: ChatRow;
  messageId?: string;
}

export interface Voter {
  personId: number;
  chat: ChatRow;
}

/** What a vote did, with the poll's state after it (for the reply's live count). */
export type VoteReceipt =
  | { kind: 'new' | 'same'; poll: PollRow; ballot: string; state: PollState }
  | { kind: 'changed'; poll: PollRow; ballot: string; previous: string; state: PollState }
  | { kind: 'anonymous'; poll: PollRow; state: PollState };

/** Called inside the closing transaction; throwing rolls the close back. */
export type ClosedListener = (poll: PollRow, result: PollResult) => void;

/** What a feature that opens polls (e.g. a leads' poll on a grant) adds to their rules. */
export interface PollRules {
  /**
   * Why this person must not decide the poll (vote in it, close, reopen or record
   * its outcome), if they must not: a conflict of interest, e.g. "you asked for grant #7".
   */
  conflict?(poll: PollRow, personId: number): string | undefined;
  /** Why the poll may not be reopened, if so: a full sentence saying what to do instead. */
  reopen?(poll: PollRow): string | undefined;
  /** How many must vote for it to count (overrides --quorum), e.g. half the leads who may vote. */
  quorum?(poll: PollRow): number | undefined;
  /** Why this person may not close the poll now (before its closing time), if so: a full sentence. */
  close?(poll: PollRow, personId: number): string | undefined;
  /** Lines the poll shows under its options, e.g. the rule that decides it. */
  notes?(poll: PollRow): string[];
}

export interface PollsDeps {
  db: DB;
  clock: Clock;
  config: Pick<Config, 'COLLABOT_TZ'>;
  outbox: Outbox;
  scheduler: Scheduler;
  collabs: CollabsService;
  roles: RolesService;
  people: PeopleService;
}

export class PollsService {
  readonly repo: PollsRepo;
  /** Ballots of anonymous polls, kept apart so that nothing on disk dates them (see anonymous-ballots.ts). */
  readonly anonymous: AnonymousBallots;
  private closedListeners: ClosedListener[] = [];
  private rules: PollRules[] = [];

  constructor(private d: PollsDeps) {
    this.repo = new PollsRepo(d.db);
    this.anonymous = new AnonymousBallots(d.db);
    d.scheduler.register<{ pollId: number }>(CLOSE_JOB, (job) => this.closeOnTime(job.payload.pollId));
    d.scheduler.register<{ pollId: number }>(WARN_JOB, (job) => this.warn(job.payload.pollId));
  }

  /** Other features react to polls closing (e.g. a grant decided by a proposal). */
  onClosed(listener: ClosedListener) {
    this.closedListeners.push(listener);
  }

  /** Other features add rules to the polls they open (e.g. who has a conflict of interest). */
  addRules(rules: PollRules) {
    this.rules.push(rules);
  }

  // --- Reading -------------------------------------------------------------

  get(id: number): PollRow | undefined {
    return this.repo.poll(id);
  }

  /** The poll, or a friendly error. */
  require(id: number): PollRow {
    const poll = this.repo.poll(id);
    if (!poll) throw new UserError(`There is no poll #${id}. Type /polls to see the open polls here.`);
    return poll;
  }

  byOrigin(origin: string): PollRow[] {
    return this.repo.byOrigin(origin);
  }

  options(poll: PollRow): Option[] {
    return this.repo.options(poll.id);
  }

  /** The result now. Full instant-runoff only when asked (it reads every ranking). */
  result(poll: PollRow, opts: { runoff?: boolean; uncounted?: boolean } = {}, options = this.repo.options(poll.id)): PollResult {
    const ranked = poll.type === 'ranked';
    // Anonymous polls are counted from their ballots list; not after each vote (no counts are shown then).
    const secret = !!opts.uncounted;
    const source = poll.anonymous ? this.anonymous : this.repo;
    return buildResult({
      type: poll.type,
      options,
      counts: secret ? [] : ranked ? source.firstPreferences(poll.id) : source.counts(poll.id),
      voters: this.repo.voterCount(poll.id),
      quorum: this.quorumOf(poll),
      rankings: ranked && opts.runoff && !secret ? source.rankings(poll.id) : undefined,
    });
  }

  state(poll: PollRow, opts: { runoff?: boolean } = {}): PollState {
    const closed = poll.status === 'closed';
    const countsVisible = closed || (!poll.hidden && !poll.anonymous);
    const options = this.repo.options(poll.id);
    const result = this.result(poll, { ...opts, uncounted: !!poll.anonymous && !countsVisible }, options);
    return {
      poll,
      options,
      result,
      countsVisible,
      // Named only where there is a block to show (this runs after every vote).
      blockers: result.proposal?.block && !poll.anonymous && countsVisible ? this.repo.blockers(poll.id) : undefined,
      tz: this.tzOf(poll),
      notes: this.rules.flatMap((r) => r.notes?.(poll) ?? []),
    };
  }

  /** How many must vote: a feature's rule (e.g. half the leads), else the poll's --quorum. */
  private quorumOf(poll: PollRow): number | null {
    for (const r of this.rules) {
      const q = r.quorum?.(poll);
      if (q !== undefined) return q;
    }
    return poll.quorum;
  }

  /** The poll as an OutMessage: full text, the view for native rendering, and its edit key. */
  message(poll: PollRow, extra: Partial<OutMessage> = {}): OutMessage {
    return asMessage(this.state(poll), extra);
  }

  resultsText(poll: PollRow): string {
    return renderResults(this.state(poll, { runoff: true }));
  }

  /** Open polls of the chat's collab plus sector-wide polls posted here (in a direct message: of the asker's collabs). */
  openPolls(chat: ChatRow, personId: number): PollRow[] {
    if (chat.collab_id) return this.repo.openHere(chat.collab_id, chat.id);
    if (chat.is_direct) return this.d.collabs.collabIdsOf(personId).flatMap((c) => this.repo.openOfCollab(c));
    return this.repo.openHere(0, chat.id);
  }

  // --- Creating --------------------------------------------------------------

  create(input: NewPoll): PollRow {
    return this.d.db.transaction(() => this.createNow(input))();
  }

  private createNow(input: NewPoll): PollRow {
    const now = this.d.clock.now();
    const type = input.type ?? 'choice';
    const question = input.question.trim();
    const example = '/poll "Which day for the forum?" "Tuesday" "Thursday"';
    if (!question) throw new UserError(`The poll needs a question. For example: ${example}`);
    if (question.length > MAX_QUESTION) throw new UserError(`That question is too long (${question.length} characters). Please keep it under ${MAX_QUESTION}.`);
    let labels = (input.options ?? []).map((o) => o.trim()).filter(Boolean);
    if (type === 'proposal') {
      if (labels.length) {
        throw new UserError(`A proposal has fixed options (agree, abstain, disagree, block), so give only the question. For example: /poll "Shall we fund the minibus?" --type proposal`);
      }
      labels = [...PROPOSAL_OPTIONS];
    }
    if (labels.length < MIN_OPTIONS || labels.length > MAX_OPTIONS) {
      throw new UserError(`A poll needs ${MIN_OPTIONS} to ${MAX_OPTIONS} options, each in double quotes; you gave ${labels.length}. For example: ${example}`);
    }
    const long = labels.find((l) => l.length > MAX_LABEL);
    if (long) throw new UserError(`The option "${long.slice(0, 30)}…" is too long. Please keep each option under ${MAX_LABEL} characters.`);
    const seen = new Set<string>();
    for (const l of labels) {
      if (seen.has(l.toLowerCase())) throw new UserError(`The option "${l}" is there twice. Give each option once. For example: ${example}`);
      seen.add(l.toLowerCase());
    }
    const multi = input.multi ?? 1;
    if (multi !== 1 && type !== 'choice') throw new UserError(`--multi is for choice polls only. For example: /poll "Which days suit you?" "Mon" "Tue" "Wed" --multi 2`);
    if (!Number.isInteger(multi) || multi < 1 || multi > labels.length) {
      throw new UserError(`--multi must be a number from 2 to the number of options (${labels.length}). For example: /poll "Which days suit you?" "Mon" "Tue" "Wed" --multi 2`);
    }
    if (input.closesAt !== undefined) {
      if (input.closesAt <= now + 60_000) throw new UserError('The closing time must be in the future. For example: --closes 2d, --closes 36h or --closes "2026-12-01 17:00"');
      if (input.closesAt > now + MAX_OPEN) throw new UserError('A poll can stay open for at most a year. For example: --closes 2w');
    }
    if (input.quorum !== undefined && (!Number.isInteger(input.quorum) || input.quorum < 1)) {
      throw new UserError('--quorum is the number of voters needed, e.g. --quorum 5');
    }
    if (input.native && type !== 'choice' && type !== 'proposal') {
      throw new UserError(`--native is for choice polls and proposals; ${type} polls are voted by typing /vote. For example: /poll "Lunch?" "Soup" "Salad" --native`);
    }
    if (input.native && (input.anonymous || input.hidden)) {
      throw new UserError(
        `A native poll shows everyone's votes as they come in, so it can't be ${input.anonymous ? '--anonymous' : '--hidden'}. Leave out --native for a secret vote, e.g. /poll "Lunch?" "Soup" "Salad" --anonymous`,
      );
    }
    if (input.everywhere && (input.createdBy === null || !this.d.roles.hasAny(input.createdBy, ['lead'], null))) {
      throw new UserError('Only a lead or an admin can post a poll to every subscribed chat (--everywhere). Type /roles to see who can help.');
    }

    const id = this.repo.insert(
      {
        collab_id: input.collabId,
        question,
        type,
        multi,
        anonymous: !!input.anonymous,
        hidden: !!input.hidden,
        everywhere: !!input.everywhere,
        native: !!input.native,
        quorum: input.quorum ?? null,
        voter_role: input.voterRole ?? null,
        origin: input.origin ?? null,
        closes_at: input.closesAt ?? null,
        created_by: input.createdBy,
        created_at: now,
      },
      labels,
    );
    const poll = this.repo.poll(id)!;

    // Where it is shown: the collab's chats (or, sector-wide, every subscribed chat), the asking chat, any extras.
    const chats = new Map<number, ChatRow>();
    const add = (c: ChatRow) => !c.is_direct && chats.set(c.id, c);
    if (input.from) add(input.from.chat);
    if (input.everywhere) this.d.collabs.subscribers('polls').forEach(add);
    else if (input.collabId !== null) this.d.collabs.chatsOf(input.collabId).forEach(add);
    input.chats?.forEach(add);
    for (const c of chats.values()) this.repo.addChat(id, c.id);

    this.scheduleJobs(poll);
    const message = this.message(poll);
    this.broadcast(poll, message, input.from, (chat) => `poll:${id}:post:${chat.id}`);
    // Those who may vote in a role-only poll (leads) may not be in its chats: each gets it privately too.
    if (poll.voter_role) {
      const text = `${message.text}\nYou can vote here, in this direct message.`;
      // On the platform the poll was asked on (or first shown on), for leads who use several.
      const platform = input.from?.chat.platform ?? chats.values().next().value?.platform;
      for (const person of this.roleVoters(poll)) this.dm(person, { ...message, text }, `poll:${id}:dm:${person}`, platform);
    }
    return poll;
  }

  // --- Voting ------------------------------------------------------------------

  vote(pollId: number, voter: Voter, words: string[]): VoteReceipt {
    return this.d.db.transaction((): VoteReceipt => {
      const poll = this.require(pollId);
      this.checkStatus(poll, 'vote');
      this.checkMayVote(poll, voter);
      const options = this.repo.options(poll.id);
      const entries = parseBallot({ id: poll.id, type: poll.type, multi: poll.multi, options }, words);
      const shape = { type: poll.type, options };
      const existing = this.repo.voter(poll.id, voter.personId);
      const now = this.d.clock.now();

      if (poll.anonymous) {
        if (existing) {
          throw new UserError(
            `You have already voted in poll #${poll.id}. It is anonymous, so your vote is final: nobody, not even me, can find your ballot to change it.`,
          );
        }
        this.repo.addVoter(poll.id, voter.personId, null, null);
        this.anonymous.add(poll.id, entries);
        return { kind: 'anonymous', poll, state: this.refresh(poll) };
      }

      const described = describeBallot(shape, entries);
      if (existing?.ballot) {
        const before = this.repo.ballot(poll.id, existing.ballot);
        if (sameBallot(before, entries)) return { kind: 'same', poll, ballot: described, state: this.state(poll) };
        this.repo.deleteBallot(poll.id, existing.ballot);
        const ballot = newBallotId();
        this.repo.insertBallot(poll.id, ballot, entries);
        this.repo.updateVoter(poll.id, voter.personId, ballot, now);
        return { kind: 'changed', poll, ballot: described, previous: describeBallot(shape, before), state: this.refresh(poll) };
      }
      const ballot = newBallotId();
      this.repo.addVoter(poll.id, voter.personId, ballot, now);
      this.repo.insertBallot(poll.id, ballot, entries);
      return { kind: 'new', poll, ballot: described, state: this.refresh(poll) };
    })();
  }

  /** Withdraw a vote (a native poll's "deselect everything"). Anonymous votes are final. */
  unvote(pollId: number, voter: Voter): PollRow {
    return this.d.db.transaction(() => {
      const poll = this.require(pollId);
      this.checkStatus(poll, 'unvote');
      this.checkMayVote(poll, voter);
      const existing = this.repo.voter(poll.id, voter.personId);
      if (poll.anonymous) {
        throw new UserError(
          existing
            ? `Poll #${poll.id} is anonymous, so your vote is final: nobody, not even me, can find your ballot to take it back.`
            : `You haven't voted in poll #${poll.id}, so there is nothing to take back.`,
        );
      }
      if (!existing) throw new UserError(`You haven't voted in poll #${poll.id}, so there is nothing to take back. To vote: /vote ${poll.id} 1`);
      if (existing.ballot) this.repo.deleteBallot(poll.id, existing.ballot);
      this.repo.deleteVoter(poll.id, voter.personId);
      this.refresh(poll);
      return poll;
    })();
  }

  /** Is the poll shown to this person here, so they may see and vote in it? Throws a friendly reason if not. */
  checkVisible(poll: PollRow, voter: Voter, doing = 'vote on') {
    const { chat, personId } = voter;
    if (chat.is_direct) {
      const ok = poll.voter_role ? this.d.roles.hasAny(personId, [poll.voter_role], null) : this.d.roles.isAdmin(personId) || this.repo.isAudience(poll, personId);
      if (ok) return;
      const collab = poll.collab_id !== null ? this.d.collabs.collab(poll.collab_id) : undefined;
      throw new UserError(
        `You can ${doing} poll #${poll.id} in a direct message only if you are a member of ${collab ? collab.name : 'a collab it was posted to'}. ` +
          'Type the command in a chat where the poll is shown.',
      );
    }
    const shown = (!poll.everywhere && poll.collab_id !== null && chat.collab_id === poll.collab_id) || this.repo.isShownIn(poll.id, chat.id);
    if (shown) return;
    if (!poll.everywhere && poll.collab_id !== null) {
      const collab = this.d.collabs.collab(poll.collab_id)!;
      throw new UserError(`Poll #${poll.id} belongs to ${collab.name}, so you can't ${doing} it here. Type the command in one of ${collab.name}'s chats.`);
    }
    throw new UserError(`Poll #${poll.id} was not posted in this chat, so you can't ${doing} it here. Type the command in a chat where it was posted.`);
  }

  private checkMayVote(poll: PollRow, voter: Voter) {
    this.checkVisible(poll, voter);
    if (poll.voter_role && !this.d.roles.has(voter.personId, poll.voter_role, null)) {
      throw new UserError(`Only ${poll.voter_role}s can vote in poll #${poll.id}. Type /roles to see who they are.`);
    }
    this.checkNoConflict(poll, voter.personId, 'vote in');
  }

  /** Why this person must not decide this poll, if a feature's rules say so. */
  private conflict(poll: PollRow, personId: number): string | undefined {
    for (const r of this.rules) {
      const why = r.conflict?.(poll, personId);
      if (why) return why;
    }
    return undefined;
  }

  private checkNoConflict(poll: PollRow, personId: number, verb: string) {
    const why = this.conflict(poll, personId);
    if (!why) return;
    const others = poll.voter_role ? `The other ${poll.voter_role}s` : 'The others';
    throw new UserError(`You can't ${verb} poll #${poll.id}: ${why}, so that would be a conflict of interest. ${others} will decide.`);
  }

  /** Who may vote in a role-only poll: the role's holders, less anyone with a conflict of interest. */
  private roleVoters(poll: PollRow): number[] {
    return this.d.roles.holders(poll.voter_role!).filter((p) => !this.conflict(poll, p));
  }

  /** Past its closing time, a poll counts as closed for voting even if the closing job has not run yet. */
  private isDue(poll: PollRow): boolean {
    return poll.status === 'open' && poll.closes_at !== null && poll.closes_at <= this.d.clock.now();
  }

  /** The status `action` leads to (see TRANSITIONS), or a friendly refusal naming the poll's status. */
  private checkStatus(poll: PollRow, action: PollAction): PollStatus {
    const status: PollStatus = (action === 'vote' || action === 'unvote') && this.isDue(poll) ? 'closed' : poll.status;
    const to = TRANSITIONS[status][action];
    if (to) return to;
    const when = poll.closed_at ?? poll.closes_at;
    const closedOn = when ? ` on ${formatMoment(when, this.tzOf(poll))}` : '';
    switch (action) {
      case 'vote':
        throw new UserError(`Poll #${poll.id} closed${closedOn}, so it no longer takes votes. To see the results: /poll results ${poll.id}`);
      case 'unvote':
        throw new UserError(`Poll #${poll.id} closed${closedOn}, so votes can no longer be changed. To see the results: /poll results ${poll.id}`);
      case 'close':
        throw new UserError(`Poll #${poll.id} is already closed. To open it again: /poll reopen ${poll.id}`);
      case 'reopen':
        throw new UserError(`Poll #${poll.id} is still open. To close it: /poll close ${poll.id}`);
      case 'outcome':
        throw new UserError(`Poll #${poll.id} is still open. Close it first with /poll close ${poll.id}, then record the outcome.`);
    }
  }

  // --- Managing ------------------------------------------------------------------

  /** Creator, facilitator of its collab, lead or admin; for polls only a role may vote in, holders of that role or admins. Never someone with a conflict of interest. */
  mayManage(poll: PollRow, personId: number): boolean {
    const { roles } = this.d;
    if (this.conflict(poll, personId)) return false;
    if (poll.voter_role) return roles.hasAny(personId, [poll.voter_role], null);
    if (poll.created_by === personId) return true;
    return roles.hasAny(personId, ['lead'], null) || (poll.collab_id !== null && roles.has(personId, 'facilitator', poll.collab_id));
  }

  private checkMayManage(poll: PollRow, personId: number, verb: string) {
    if (this.mayManage(poll, personId)) return;
    this.checkNoConflict(poll, personId, verb); // says so when a conflict of interest is the reason
    const who = poll.voter_role ? `a ${poll.voter_role} or an admin` : 'the person who asked it, a facilitator of its collab, a lead or an admin';
    throw new UserError(`Only ${who} can ${verb} poll #${poll.id}. Type /roles to see who can help.`);
  }

  /**
   * Close now. `by` null: the system (another feature) closes it without a
   * permission check; `why` is said with the results (e.g. the request it decides was withdrawn).
   */
  close(pollId: number, by: number | null, from?: Origin, why?: string): { poll: PollRow; result: PollResult } {
    return this.d.db.transaction(() => {
      const poll = this.require(pollId);
      if (by !== null) {
        this.checkMayManage(poll, by, 'close');
        if (!this.isDue(poll) && poll.status === 'open') {
          for (const r of this.rules) {
            const refusal = r.close?.(poll, by);
            if (refusal) throw new UserError(refusal);
          }
        }
      }
      return this.closeNow(poll, by, from, why);
    })();
  }

  private closeNow(poll: PollRow, by: number | null, from?: Origin, why?: string) {
    const now = this.d.clock.now();
    // A poll past its closing time whose job has not run yet may still be closed now, by hand or by another feature.
    this.setStatus(poll, this.checkStatus(poll, 'close'), now, by, poll.closes_at);
    this.cancelJobs(poll.id);
    const closed = this.repo.poll(poll.id)!;
    const result = this.result(closed, { runoff: true });
    for (const listener of this.closedListeners) listener(closed, result);
    // The live view turns into the final count where it can be edited; everyone gets the results.
    this.refresh(closed);
    this.broadcast(closed, { text: [`Poll #${closed.id} is closed.`, why].filter(Boolean).join(' ') + '\n' + this.resultsText(closed) }, from);
    return { poll: closed, result };
  }

  /** The poll, closed first if it is past its closing time and its job has not run yet (the bot was busy or down). */
  private settled(poll: PollRow): PollRow {
    return this.isDue(poll) ? this.closeNow(poll, null, undefined, AT_CLOSING_TIME).poll : poll;
  }

  private closeOnTime(pollId: number) {
    const poll = this.repo.poll(pollId);
    if (poll) this.settled(poll);
  }

  private setStatus(poll: PollRow, to: PollStatus, closedAt: number | null, closedBy: number | null, closesAt: number | null) {
    if (!this.repo.setStatus(poll.id, poll.status, to, closedAt, closedBy, closesAt)) throw new Error(`poll #${poll.id} changed status under us`);
  }

  reopen(pollId: number, by: number, closesAt: number | null, from?: Origin): PollRow {
    return this.d.db.transaction(() => {
      const poll = this.settled(this.require(pollId));
      this.checkMayManage(poll, by, 'reopen');
      const to = this.checkStatus(poll, 'reopen');
      if (poll.anonymous) {
        // Closing shows the count; counting again after one more vote would show how that person voted.
        throw new UserError(
          `Poll #${poll.id} is anonymous, so it can't be reopened: a second count after a few more votes would show how those people voted.\n` +
            `To ask again, start a new poll, e.g. /poll "${poll.question.length > 60 ? 'Your question?' : poll.question}" "Yes" "No" --anonymous`,
        );
      }
      for (const r of this.rules) {
        const why = r.reopen?.(poll);
        if (why) throw new UserError(why);
      }
      const now = this.d.clock.now();
      if (closesAt !== null && closesAt <= now + 60_000) throw new UserError('The closing time must be in the future. For example: --closes 2d');
      if (closesAt !== null && closesAt > now + MAX_OPEN) throw new UserError('A poll can stay open for at most a year. For example: --closes 2w');
      // No new closing time: the original one stands if it is still ahead.
      const keep = poll.closes_at !== null && poll.closes_at > now + 60_000 ? poll.closes_at : null;
      this.setStatus(poll, to, null, null, closesAt ?? keep);
      // A reopened decision is open again: its recorded outcome no longer stands.
      if (poll.outcome) this.repo.clearOutcome(poll.id);
      const open = this.repo.poll(poll.id)!;
      this.scheduleJobs(open);
      // The poll shown again is not the answer (the command replies), so it does not quote the command: one reply per command.
      this.broadcast(open, this.message(open), from && { chat: from.chat });
      return open;
    })();
  }

  setOutcome(pollId: number, by: number, outcome: string, from?: Origin): PollRow {
    return this.d.db.transaction(() => {
      const poll = this.settled(this.require(pollId));
      this.checkMayManage(poll, by, 'record the outcome of');
      this.checkStatus(poll, 'outcome');
      const text = outcome.trim();
      if (!text) throw new UserError(`Say what was decided, e.g. /poll outcome ${poll.id} We meet on Thursdays.`);
      if (text.length > MAX_OUTCOME) throw new UserError(`That outcome is too long (${text.length} characters). Please keep it under ${MAX_OUTCOME}.`);
      this.repo.setOutcome(poll.id, text, by, this.d.clock.now());
      const updated = this.repo.poll(poll.id)!;
      this.broadcast(updated, { text: `Outcome of poll #${poll.id} (${poll.question}): ${text}` }, from);
      return updated;
    })();
  }

  /** Every ballot as CSV. Anonymous polls: no voter identities, ballots in random order. */
  exportCsv(poll: PollRow): string {
    if (poll.status === 'open' && (poll.hidden || poll.anonymous)) {
      throw new UserError(`Poll #${poll.id} shows its results only when it closes, so it can be exported then. To close it: /poll close ${poll.id}`);
    }
    const options = this.repo.options(poll.id);
    const optionHeads = options.map((o) => `${o.idx}. ${o.label}`);
    if (poll.anonymous) {
      // Sorted by content: row order says nothing about who voted when.
      const rows = this.anonymous
        .all(poll.id)
        .map((b) => options.map((o) => b.find((e) => e.idx === o.idx)?.value ?? ''))
        .sort((a, b) => (a.join(',') < b.join(',') ? -1 : a.join(',') > b.join(',') ? 1 : 0))
        .map((cells, i) => [i + 1, ...cells]);
      return toCsv([['ballot', ...optionHeads], ...rows]);
    }
    const byBallot = new Map<string, Map<number, number>>();
    for (const e of this.repo.allEntries(poll.id)) {
      if (!byBallot.has(e.ballot)) byBallot.set(e.ballot, new Map());
      byBallot.get(e.ballot)!.set(e.idx, e.value);
    }
    const cells = (ballot: string) => options.map((o) => byBallot.get(ballot)?.get(o.idx) ?? '');
    const tz = this.tzOf(poll);
    const named = this.repo.namedBallots(poll.id);
    const known = new Set(named.map((n) => n.ballot));
    const rows = named.map((n, i) => [i + 1, n.name, formatMoment(n.voted_at, tz), ...cells(n.ballot)]);
    // Ballots kept from a second account linked after a closed poll (see mergePerson).
    for (const b of [...byBallot.keys()].filter((b) => !known.has(b)).sort()) rows.push([rows.length + 1, '(second account, linked later)', '', ...cells(b)]);
    return toCsv([['ballot', 'voter', 'voted at', ...optionHeads], ...rows]);
  }

  // --- People merged by /link ---------------------------------------------------

  /**
   * Two accounts became one person. In open named polls where both voted, the
   * later ballot stands (as if they had voted again). Anonymous ballots cannot be
   * told apart, and closed polls are not recounted: there both ballots stay, and
   * the results note it.
   */
  mergePerson(from: number, to: number) {
    const touched = new Set<number>();
    for (const row of this.repo.bothVoted(from, to)) {
      const poll = this.repo.poll(row.poll_id)!;
      touched.add(poll.id);
      if (row.anonymous || poll.status === 'closed') {
        this.repo.deleteVoter(poll.id, from);
        this.repo.countLinkedDouble(poll.id);
      } else if ((row.from_at ?? 0) > (row.to_at ?? 0)) {
        if (row.to_ballot) this.repo.deleteBallot(poll.id, row.to_ballot);
        this.repo.deleteVoter(poll.id, to);
      } else {
        if (row.from_ballot) this.repo.deleteBallot(poll.id, row.from_ballot);
        this.repo.deleteVoter(poll.id, from);
      }
    }
    this.repo.movePerson(from, to);
    for (const id of touched) {
      const poll = this.repo.poll(id)!;
      if (poll.status === 'open') this.refresh(poll);
    }
  }

  // --- Delivery and jobs ------------------------------------------------------------

  /** After each vote: the refreshed view, as an in-place edit where the platform can edit. Returns the state it showed. */
  private refresh(poll: PollRow): PollState {
    const s = this.state(poll);
    const message = asMessage(s, { updateOnly: true });
    for (const chat of this.repo.chats(poll.id)) this.d.outbox.enqueue(chatDestination(chat), message, { origin: `poll:${poll.id}` });
    return s;
  }

  /** Send to every chat showing the poll; the asking chat gets it as an answer (even if it doesn't show the poll). */
  private broadcast(poll: PollRow, message: OutMessage, from?: Origin, idemKey?: (chat: ChatRow) => string) {
    const chats = this.repo.chats(poll.id);
    if (from && !chats.some((c) => c.id === from.chat.id)) chats.unshift(from.chat);
    for (const chat of chats) {
      const replyTo = from && from.chat.id === chat.id ? from.messageId : undefined;
      this.d.outbox.enqueue(chatDestination(chat), replyTo ? { ...message, replyTo } : message, { origin: `poll:${poll.id}`, idemKey: idemKey?.(chat) });
    }
  }

  private dm(personId: number, message: OutMessage, idemKey: string, platform?: string) {
    const to = this.d.people.directTo(personId, platform);
    if (to) this.d.outbox.enqueue(to, message, { idemKey, origin: idemKey.split(':dm:')[0] });
  }

  private scheduleJobs(poll: PollRow) {
    const key = jobKeys(poll.id);
    if (poll.closes_at === null) return this.cancelJobs(poll.id);
    this.d.scheduler.schedule(CLOSE_JOB, poll.closes_at, { pollId: poll.id }, key.close);
    if (poll.closes_at - this.d.clock.now() >= MIN_WARN_LEAD) this.d.scheduler.schedule(WARN_JOB, poll.closes_at - DAY, { pollId: poll.id }, key.warn);
    else this.d.scheduler.cancel(key.warn);
  }

  private cancelJobs(pollId: number) {
    const key = jobKeys(pollId);
    this.d.scheduler.cancel(key.close);
    this.d.scheduler.cancel(key.warn);
  }

  private warn(pollId: number) {
    const poll = this.repo.poll(pollId);
    if (!poll || poll.status !== 'open' || poll.closes_at === null) return;
    // Run late (the bot was down): "closes in 24 hours" would be wrong, and the results come soon.
    if (poll.closes_at - this.d.clock.now() < DAY / 2) return;
    const text = renderWarning(this.state(poll), this.missingVoters(poll));
    this.broadcast(poll, { text });
  }

  /** Who may still vote and has not: members where the poll is shown, or the holders of its role (few: counted here). */
  private missingVoters(poll: PollRow): { count: number; names: string[] } {
    if (!poll.voter_role) return this.repo.missingVoters(poll, NAMES_IN_REMINDER);
    const missing = this.roleVoters(poll).filter((p) => !this.repo.voter(poll.id, p));
    const names = missing.map((p) => this.d.people.name(p)).sort(byNameNoCase);
    return { count: missing.length, names: names.slice(0, NAMES_IN_REMINDER) };
  }

  private tzOf(poll: PollRow): string {
    return this.d.collabs.timeZone(poll.collab_id);
  }
}

export function editKey(pollId: number) {
  return `poll:${pollId}`;
}

/** The poll as an OutMessage: full text, the view for native rendering, and its edit key. */
function asMessage(s: PollState, extra: Partial<OutMessage> = {}): OutMessage {
  return { text: renderPoll(s), poll: pollView(s), editKey: editKey(s.poll.id), ...extra };
}

function jobKeys(pollId: number) {
  return { close: `poll:${pollId}:close`, warn: `poll:${pollId}:warn` };
}

/** Case-insensitive order, as SQLite's COLLATE NOCASE sorts the other lists of names. */
function byNameNoCase(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A random ballot id: names no one, and sorts ballots in no meaningful order. */
function newBallotId(): string {
  return randomBytes(12).toString('base64url');
}

export type { BallotEntry };
