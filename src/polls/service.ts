// The poll rules: who may vote where, one vote per person, anonymous ballots,
// opening and closing (by hand or at the closing time), outcomes, exports, and
// the hooks other features use (a proposal decided by leads; their rules; onClosed).
import type { ChatRow } from '../collabs/repo.js';
import { chatDestination } from '../collabs/service.js';
import { UserError } from '../errors.js';
import type { OutMessage } from '../model.js';
import { formatMoment } from '../time/dates.js';
import { PollAccess } from './access.js';
import { AnonymousBallots } from './anonymous-ballots.js';
import { parseBallot, type BallotEntry, type Option } from './ballot.js';
import { BallotBox } from './ballots.js';
import { isCancelled, isDeleted } from './cancelled.js';
import { pollCsv } from './export.js';
import { LATEST_WARNING, PollJobs } from './jobs.js';
import { mergeVoters } from './merge.js';
import { pollMessage, renderResults, renderWarning, type PollState } from './render.js';
import { reasonLines, reasonsReply } from './reasons.js';
import { PollExtrasRepo, type ReasonRow } from './reasons-repo.js';
import { pollResult, pollState, type PollSources } from './state.js';
import { PollsRepo, type PollRow, type PollStatus } from './repo.js';
import { newSeed } from './stv.js';
import { StvPollsRepo, type StvPollRow } from './stv-repo.js';
import { isDue, nextStatus, type PollAction } from './status.js';
import type { PollResult } from './tally.js';
import type { ClosedListener, NewPoll, Origin, PollRules, PollsDeps, Voter, VoteReceipt } from './types.js';
import { MAX_OPEN, reopenClosingTime, validateNewPoll, validOutcome } from './validate.js';

export { MAX_OUTCOME } from './validate.js';
const NAMES_IN_REMINDER = 20;
const AT_CLOSING_TIME = 'It has reached its closing time.';

export class PollsService {
  private readonly repo: PollsRepo;
  private readonly stvRepo: StvPollsRepo;
  /** Reasons given with votes. */
  private readonly extras: PollExtrasRepo;
  /** Ballots of anonymous polls, kept apart so that nothing on disk dates them (see anonymous-ballots.ts). */
  private readonly anonymous: AnonymousBallots;
  private readonly sources: PollSources;
  private readonly ballots: BallotBox;
  private closedListeners: ClosedListener[] = [];
  private rules: PollRules[] = [];
  private access: PollAccess;
  private jobs: PollJobs;

  constructor(private d: PollsDeps) {
    this.repo = new PollsRepo(d.db);
    this.stvRepo = new StvPollsRepo(d.db);
    this.extras = new PollExtrasRepo(d.db);
    this.anonymous = new AnonymousBallots(d.db);
    this.ballots = new BallotBox(this.repo, this.anonymous, this.extras);
    this.sources = {
      repo: this.repo,
      anonymous: this.anonymous,
      quorum: (poll) => this.access.quorum(poll),
      notes: (poll) => this.rules.flatMap((r) => r.notes?.(poll) ?? []),
    };
    this.access = new PollAccess({ repo: this.repo, roles: d.roles, collabs: d.collabs, people: d.people, rules: this.rules });
    this.jobs = new PollJobs(d, { close: (pollId) => this.closeOnTime(pollId), warn: (pollId) => this.warn(pollId) });
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
    if (isDeleted(poll)) throw new UserError(`Poll #${id} was deleted. Type /polls to see the open polls here.`);
    return poll;
  }

  byOrigin(origin: string): PollRow[] {
    return this.repo.byOrigin(origin);
  }

  voterCount(pollId: number): number {
    return this.repo.voterCount(pollId);
  }

  options(poll: PollRow): Option[] {
    return this.repo.options(poll.id);
  }

  /** The result now. Full instant-runoff only when asked (it reads every ranking). */
  result(poll: PollRow, opts: { runoff?: boolean } = {}): PollResult {
    return pollResult(this.sources, poll, { ...opts, stv: this.stv(poll) });
  }

  state(poll: PollRow, opts: { runoff?: boolean } = {}): PollState {
    return pollState(this.sources, poll, this.tzOf(poll), { ...opts, stv: this.stv(poll) });
  }

  /** The seats and seed of an stv poll; undefined for other polls. */
  stv(poll: PollRow): StvPollRow | undefined {
    return poll.type === 'ranked' ? this.stvRepo.get(poll.id) : undefined;
  }

  /** The poll as an OutMessage: full text, the view for native rendering, and its edit key. */
  message(poll: PollRow, extra: Partial<OutMessage> = {}): OutMessage {
    return pollMessage(this.state(poll), extra);
  }

  resultsText(poll: PollRow): string {
    if (isCancelled(poll)) return `Poll #${poll.id} (${poll.question}) was cancelled, so it has no results. Type /polls to see the open polls here.`;
    const s = this.state(poll, { runoff: true });
    return renderResults(s.countsVisible ? { ...s, reasons: reasonLines(poll.id, s.options, this.reasons(poll)) } : s);
  }

  /** The reasons given with votes (named polls: with the voter's name). */
  reasons(poll: PollRow): ReasonRow[] {
    return poll.anonymous ? this.anonymous.reasons(poll.id) : this.extras.reasons(poll.id, false);
  }

  /** Every reason given, under its option (hidden and anonymous polls: once closed). */
  reasonsText(poll: PollRow): string {
    return reasonsReply(this.state(poll), this.reasons(poll));
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
    const { question, type, labels, multi, seats } = validateNewPoll(input, {
      now,
      tz: this.d.collabs.timeZone(input.collabId),
      isLead: (personId) => this.d.roles.hasAny(personId, ['lead'], null),
    });

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
    if (seats !== undefined) this.stvRepo.insert(id, seats, newSeed());
    const poll = this.repo.poll(id)!;

    // Where it is shown: the collab's chats (or, sector-wide, every subscribed chat), the asking chat, any extras.
    const chats = new Map<number, ChatRow>();
    const add = (c: ChatRow) => !c.is_direct && chats.set(c.id, c);
    if (input.from) add(input.from.chat);
    if (input.everywhere) this.d.collabs.subscribers('polls').forEach(add);
    else if (input.collabId !== null) this.d.collabs.chatsOf(input.collabId).forEach(add);
    input.chats?.forEach(add);
    for (const c of chats.values()) this.repo.addChat(id, c.id);

    this.jobs.schedule(poll);
    const message = this.message(poll);
    this.broadcast(poll, message, input.from, (chat) => `poll:${id}:post:${chat.id}`);
    // Those who may vote in a role-only poll (leads) may not be in its chats: each gets it privately too.
    if (poll.voter_role) {
      const text = `${message.text}\nYou can vote here, in this direct message.`;
      // On the platform the poll was asked on (or first shown on), for leads who use several.
      const platform = input.from?.chat.platform ?? chats.values().next().value?.platform;
      for (const person of this.access.roleVoters(poll)) this.dm(person, { ...message, text }, `poll:${id}:dm:${person}`, platform);
    }
    return poll;
  }

  // --- Voting ------------------------------------------------------------------

  /** `reason`: why, as typed after the choice (a block must have one). Changing the vote replaces it. */
  vote(pollId: number, voter: Voter, words: string[], reason?: string): VoteReceipt {
    return this.d.db.transaction((): VoteReceipt => {
      const poll = this.require(pollId);
      this.checkStatus(poll, 'vote');
      this.access.checkMayVote(poll, voter);
      const options = this.repo.options(poll.id);
      const entries = parseBallot({ id: poll.id, type: poll.type, multi: poll.multi, options }, words);
      const cast = this.ballots.cast(poll, voter.personId, entries, options, reason, this.d.clock.now());
      return { ...cast, poll, state: cast.kind === 'same' ? this.state(poll) : this.refresh(poll), reason } as VoteReceipt;
    })();
  }

  /** Withdraw a vote (a native poll's "deselect everything"). Anonymous votes are final. */
  unvote(pollId: number, voter: Voter): PollRow {
    return this.d.db.transaction(() => {
      const poll = this.require(pollId);
      this.checkStatus(poll, 'unvote');
      this.access.checkMayVote(poll, voter);
      this.ballots.withdraw(poll, voter.personId);
      this.refresh(poll);
      return poll;
    })();
  }

  /** Has this person voted in the poll (named or anonymously)? */
  hasVoted(pollId: number, personId: number): boolean {
    return !!this.repo.voter(pollId, personId);
  }

  /** Once the command's transaction has committed: fold away the WAL images an anonymous vote left (see anonymous-ballots.ts). */
  scrubAfterCommit() {
    this.ballots.scrubAfterCommit();
  }

  /** Is the poll shown to this person here, so they may see and vote in it? Throws a friendly reason if not. */
  checkVisible(poll: PollRow, voter: Voter, doing = 'vote on') {
    this.access.checkVisible(poll, voter, doing);
  }

  /** Creator, facilitator of its collab, lead or admin (see PollAccess.mayManage). */
  mayManage(poll: PollRow, personId: number): boolean {
    return this.access.mayManage(poll, personId);
  }

  /** The chats that show the poll. */
  chats(poll: PollRow): ChatRow[] {
    return this.repo.chats(poll.id);
  }

  /** Forget its closing job and reminder (e.g. deleted or cancelled). */
  cancelJobs(pollId: number) {
    this.jobs.cancel(pollId);
  }

  /** Every ballot as CSV. Anonymous polls: no voter identities, ballots in random order. */
  exportCsv(poll: PollRow): string {
    return pollCsv(poll, this.sources, this.tzOf(poll), this.stv(poll));
  }

  /** Past its closing time, a poll counts as closed for voting even if the closing job has not run yet. */
  private isDue(poll: PollRow): boolean {
    return isDue(poll, this.d.clock.now());
  }

  /** The status `action` leads to (see TRANSITIONS), or a friendly refusal naming the poll's status. */
  private checkStatus(poll: PollRow, action: PollAction): PollStatus {
    return nextStatus(poll, action, this.d.clock.now(), () => this.tzOf(poll));
  }

  // --- Managing ------------------------------------------------------------------

  /**
   * Close now. `by` null: the system (another feature) closes it without a
   * permission check; `why` is said with the results (e.g. the request it decides was withdrawn).
   */
  close(pollId: number, by: number | null, from?: Origin, why?: string): { poll: PollRow; result: PollResult } {
    return this.d.db.transaction(() => {
      const poll = this.require(pollId);
      if (by !== null && from) this.checkVisible(poll, { personId: by, chat: from.chat }, 'close');
      if (by !== null) {
        this.access.checkMayManage(poll, by, 'close');
        if (!this.isDue(poll) && poll.status === 'open') this.access.checkMayCloseEarly(poll, by);
      }
      return this.closeNow(poll, by, from, why);
    })();
  }

  private closeNow(poll: PollRow, by: number | null, from?: Origin, why?: string) {
    const now = this.d.clock.now();
    // A poll past its closing time whose job has not run yet may still be closed now, by hand or by another feature.
    this.setStatus(poll, this.checkStatus(poll, 'close'), now, by, poll.closes_at);
    this.jobs.cancel(poll.id);
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
      if (from) this.checkVisible(poll, { personId: by, chat: from.chat }, 'reopen');
      this.access.checkMayManage(poll, by, 'reopen');
      const to = this.checkStatus(poll, 'reopen');
      for (const r of this.rules) {
        const why = r.reopen?.(poll);
        if (why) throw new UserError(why);
      }
      this.setStatus(poll, to, null, null, reopenClosingTime(poll, closesAt, this.d.clock.now(), this.tzOf(poll)));
      // A reopened decision is open again: its recorded outcome no longer stands.
      if (poll.outcome) this.repo.clearOutcome(poll.id);
      const open = this.repo.poll(poll.id)!;
      this.jobs.schedule(open);
      // The poll shown again is not the answer (the command replies), so it does not quote the command: one reply per command.
      this.broadcast(open, this.message(open), from && { chat: from.chat });
      return open;
    })();
  }

  setOutcome(pollId: number, by: number, outcome: string, from?: Origin): PollRow {
    return this.d.db.transaction(() => {
      const poll = this.settled(this.require(pollId));
      if (from) this.checkVisible(poll, { personId: by, chat: from.chat }, 'record the outcome of');
      this.access.checkMayManage(poll, by, 'record the outcome of');
      this.checkStatus(poll, 'outcome');
      const text = validOutcome(poll, outcome);
      this.repo.setOutcome(poll.id, text, by, this.d.clock.now());
      const updated = this.repo.poll(poll.id)!;
      this.broadcast(updated, { text: `Outcome of poll #${poll.id} (${poll.question}): ${text}` }, from);
      return updated;
    })();
  }

  /** Two accounts became one person (see mergeVoters); open polls whose counts changed are shown again. */
  mergePerson(from: number, to: number) {
    for (const id of mergeVoters(this.repo, from, to)) {
      const poll = this.repo.poll(id)!;
      if (poll.status === 'open') this.refresh(poll);
    }
  }

  // --- Delivery and jobs ------------------------------------------------------------

  /** After each vote: the refreshed view, as an in-place edit where the platform can edit. Returns the state it showed. */
  private refresh(poll: PollRow): PollState {
    const s = this.state(poll);
    this.d.outbox.enqueueUpdate(this.repo.chats(poll.id).map(chatDestination), () => pollMessage(s, { updateOnly: true }), { origin: `poll:${poll.id}` });
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

  private warn(pollId: number) {
    const poll = this.repo.poll(pollId);
    if (!poll || poll.status !== 'open' || poll.closes_at === null) return;
    // Run late (the bot was down): "closes in 24 hours" would be wrong, and the results come soon.
    if (poll.closes_at - this.d.clock.now() < LATEST_WARNING) return;
    const text = renderWarning(this.state(poll), this.access.missingVoters(poll, NAMES_IN_REMINDER));
    this.broadcast(poll, { text });
  }

  private tzOf(poll: PollRow): string {
    return this.d.collabs.timeZone(poll.collab_id);
  }
}


export type { BallotEntry };
