// SQL for polls: prepared statements only. Tallies of choice, proposal and
// score polls are read from the running tallies (poll_tallies); ranked polls
// read the packed rankings (instant-runoff needs every ranking).
import type { ChatRow } from '../collabs/repo.js';
import type { DB } from '../storage/db.js';
import type { BallotEntry, Option, PollType } from './ballot.js';
import type { OptionCount } from './tally.js';

export type PollStatus = 'open' | 'closed';

export interface PollRow {
  id: number;
  collab_id: number | null;
  question: string;
  type: PollType;
  multi: number;
  anonymous: number;
  hidden: number;
  everywhere: number;
  /** Asked for as the platform's own poll (--native). */
  native: number;
  quorum: number | null;
  voter_role: 'lead' | null;
  origin: string | null;
  status: PollStatus;
  closes_at: number | null;
  created_by: number | null;
  created_at: number;
  closed_at: number | null;
  closed_by: number | null;
  outcome: string | null;
  outcome_by: number | null;
  outcome_at: number | null;
  linked_double_votes: number;
  /** How many people have voted (kept by a trigger). */
  voters: number;
}

export interface NewPollRow {
  collab_id: number | null;
  question: string;
  type: PollType;
  multi: number;
  anonymous: boolean;
  hidden: boolean;
  everywhere: boolean;
  native: boolean;
  quorum: number | null;
  voter_role: 'lead' | null;
  origin: string | null;
  closes_at: number | null;
  created_by: number | null;
  created_at: number;
}

export interface VoterRow {
  poll_id: number;
  person_id: number;
  ballot: string | null;
  voted_at: number | null;
}

/** The collabs whose chats show a poll (params: poll id, the poll's own collab id). */
const SHOWN_IN_COLLABS = `(SELECT h.collab_id FROM poll_chats pc JOIN chats h ON h.id = pc.chat_id WHERE pc.poll_id = ? AND h.collab_id IS NOT NULL
  UNION SELECT ?)`;

export class PollsRepo {
  private s;
  constructor(db: DB) {
    this.s = {
      // Named parameters: fourteen positional ? would be easy to misorder.
      insert: db.prepare<[Record<keyof NewPollRow, number | string | null>]>(
        `INSERT INTO polls (collab_id, question, type, multi, anonymous, hidden, everywhere, native, quorum, voter_role, origin, closes_at, created_by, created_at)
         VALUES (@collab_id, @question, @type, @multi, @anonymous, @hidden, @everywhere, @native, @quorum, @voter_role, @origin, @closes_at, @created_by, @created_at)`,
      ),
      insertOption: db.prepare<[number, number, string]>('INSERT INTO poll_options (poll_id, idx, label) VALUES (?, ?, ?)'),
      poll: db.prepare<[number], PollRow>('SELECT * FROM polls WHERE id = ?'),
      options: db.prepare<[number], Option>('SELECT idx, label FROM poll_options WHERE poll_id = ? ORDER BY idx'),
      byOrigin: db.prepare<[string], PollRow>('SELECT * FROM polls WHERE origin = ? ORDER BY id'),
      setStatus: db.prepare<[{ to: PollStatus; closedAt: number | null; closedBy: number | null; closesAt: number | null; id: number; from: PollStatus }]>(
        'UPDATE polls SET status = @to, closed_at = @closedAt, closed_by = @closedBy, closes_at = @closesAt WHERE id = @id AND status = @from',
      ),
      setOutcome: db.prepare<[string, number, number, number]>('UPDATE polls SET outcome = ?, outcome_by = ?, outcome_at = ? WHERE id = ?'),
      clearOutcome: db.prepare<[number]>('UPDATE polls SET outcome = NULL, outcome_by = NULL, outcome_at = NULL WHERE id = ?'),
      addChat: db.prepare<[number, number]>('INSERT OR IGNORE INTO poll_chats (poll_id, chat_id) VALUES (?, ?)'),
      chats: db.prepare<[number], ChatRow>('SELECT h.* FROM poll_chats pc JOIN chats h ON h.id = pc.chat_id WHERE pc.poll_id = ? ORDER BY h.id'),
      shownIn: db.prepare<[number, number], { one: number }>('SELECT 1 AS one FROM poll_chats WHERE poll_id = ? AND chat_id = ?'),
      openHere: db.prepare<[number, number], PollRow>(
        `SELECT * FROM polls WHERE status = 'open' AND collab_id = ? AND everywhere = 0
         UNION SELECT p.* FROM poll_chats pc JOIN polls p ON p.id = pc.poll_id WHERE pc.chat_id = ? AND p.status = 'open'
         ORDER BY id`,
      ),
      openOfCollab: db.prepare<[number], PollRow>(`SELECT * FROM polls WHERE status = 'open' AND collab_id = ? ORDER BY id`),

      voter: db.prepare<[number, number], VoterRow>('SELECT * FROM poll_voters WHERE poll_id = ? AND person_id = ?'),
      insertVoter: db.prepare<[number, number, string | null, number | null]>('INSERT INTO poll_voters (poll_id, person_id, ballot, voted_at) VALUES (?, ?, ?, ?)'),
      updateVoter: db.prepare<[string | null, number | null, number, number]>('UPDATE poll_voters SET ballot = ?, voted_at = ? WHERE poll_id = ? AND person_id = ?'),
      deleteVoter: db.prepare<[number, number]>('DELETE FROM poll_voters WHERE poll_id = ? AND person_id = ?'),
      voterCount: db.prepare<[number], { n: number }>('SELECT voters AS n FROM polls WHERE id = ?'),
      insertEntry: db.prepare<[number, string, number, number]>('INSERT INTO poll_ballots (poll_id, ballot, option_idx, value) VALUES (?, ?, ?, ?)'),
      ballotEntries: db.prepare<[number, string], BallotEntry>('SELECT option_idx AS idx, value FROM poll_ballots WHERE poll_id = ? AND ballot = ? ORDER BY option_idx'),
      deleteBallot: db.prepare<[number, string]>('DELETE FROM poll_ballots WHERE poll_id = ? AND ballot = ?'),

      // Running tallies (kept by triggers, migration 010): a few rows per poll, whatever its size.
      counts: db.prepare<[number], OptionCount>(
        'SELECT option_idx AS idx, n, CAST(total AS REAL) / n AS mean FROM poll_tallies WHERE poll_id = ? AND n > 0 ORDER BY option_idx',
      ),
      firstPreferences: db.prepare<[number], OptionCount>(
        'SELECT option_idx AS idx, firsts AS n FROM poll_tallies WHERE poll_id = ? AND firsts > 0 ORDER BY option_idx',
      ),
      // Each different ranking of a poll and how many ballots have it (kept by triggers).
      rankings: db.prepare<[number], { ranking: string; n: number }>('SELECT ranking, n FROM poll_ranking_counts WHERE poll_id = ? AND n > 0'),
      // Named polls only (the service refuses exports that would name anonymous voters).
      namedBallots: db.prepare<[number], { ballot: string; person_id: number; voted_at: number; name: string }>(
        `SELECT v.ballot, v.person_id, v.voted_at, p.display_name AS name FROM poll_voters v JOIN people p ON p.id = v.person_id
         WHERE v.poll_id = ? AND v.ballot IS NOT NULL ORDER BY v.voted_at, p.display_name`,
      ),
      allEntries: db.prepare<[number], { ballot: string; idx: number; value: number }>(
        'SELECT ballot, option_idx AS idx, value FROM poll_ballots WHERE poll_id = ? ORDER BY ballot, option_idx',
      ),
      // The blocking ballots are read once (from the index of blocks, poll_ballots_blocks), not once per voter.
      blockers: db.prepare<[number, number], { person_id: number; name: string }>(
        `SELECT v.person_id, p.display_name AS name FROM poll_voters v JOIN people p ON p.id = v.person_id WHERE v.poll_id = ? AND v.ballot IN
           (SELECT ballot FROM poll_ballots WHERE poll_id = ? AND option_idx = 4) ORDER BY p.display_name COLLATE NOCASE`,
      ),

      // Who has not voted: members seen in any collab where the poll is shown, minus voters.
      audienceMissing: db.prepare<[number, number | null, number, number], { person_id: number; name: string }>(
        `SELECT m.person_id, p.display_name AS name FROM members m JOIN people p ON p.id = m.person_id
         WHERE m.collab_id IN ${SHOWN_IN_COLLABS}
           AND NOT EXISTS (SELECT 1 FROM poll_voters v WHERE v.poll_id = ? AND v.person_id = m.person_id)
         GROUP BY m.person_id ORDER BY p.display_name COLLATE NOCASE LIMIT ?`,
      ),
      audienceMissingCount: db.prepare<[number, number | null, number], { n: number }>(
        `SELECT COUNT(DISTINCT m.person_id) AS n FROM members m
         WHERE m.collab_id IN ${SHOWN_IN_COLLABS}
           AND NOT EXISTS (SELECT 1 FROM poll_voters v WHERE v.poll_id = ? AND v.person_id = m.person_id)`,
      ),
      isAudience: db.prepare<[number, number, number | null], { one: number }>(
        `SELECT 1 AS one FROM members m WHERE m.person_id = ? AND m.collab_id IN
           ${SHOWN_IN_COLLABS}
         LIMIT 1`,
      ),

      // Merging two people (/link).
      bothVoted: db.prepare<[number, number], { poll_id: number; anonymous: number; from_ballot: string | null; from_at: number | null; to_ballot: string | null; to_at: number | null }>(
        `SELECT a.poll_id, p.anonymous, a.ballot AS from_ballot, a.voted_at AS from_at, b.ballot AS to_ballot, b.voted_at AS to_at
         FROM poll_voters a JOIN poll_voters b ON b.poll_id = a.poll_id AND b.person_id = ? JOIN polls p ON p.id = a.poll_id
         WHERE a.person_id = ?`,
      ),
      countLinkedDouble: db.prepare<[number]>('UPDATE polls SET linked_double_votes = linked_double_votes + 1 WHERE id = ?'),
      moveVoters: db.prepare<[number, number]>('UPDATE poll_voters SET person_id = ? WHERE person_id = ?'),
      moveCreator: db.prepare<[number, number]>('UPDATE polls SET created_by = ? WHERE created_by = ?'),
      moveCloser: db.prepare<[number, number]>('UPDATE polls SET closed_by = ? WHERE closed_by = ?'),
      moveOutcome: db.prepare<[number, number]>('UPDATE polls SET outcome_by = ? WHERE outcome_by = ?'),
    };
  }

  insert(p: NewPollRow, options: string[]): number {
    const id = Number(
      this.s.insert.run({ ...p, anonymous: +p.anonymous, hidden: +p.hidden, everywhere: +p.everywhere, native: +p.native }).lastInsertRowid,
    );
    options.forEach((label, i) => this.s.insertOption.run(id, i + 1, label));
    return id;
  }
  poll(id: number) {
    return this.s.poll.get(id);
  }
  options(pollId: number) {
    return this.s.options.all(pollId);
  }
  byOrigin(origin: string) {
    return this.s.byOrigin.all(origin);
  }
  /** Move a poll from one status to another; false if it was not in `from`. */
  setStatus(id: number, from: PollStatus, to: PollStatus, closedAt: number | null, closedBy: number | null, closesAt: number | null): boolean {
    return this.s.setStatus.run({ to, closedAt, closedBy, closesAt, id, from }).changes === 1;
  }
  setOutcome(id: number, outcome: string, by: number, at: number) {
    this.s.setOutcome.run(outcome, by, at, id);
  }
  clearOutcome(id: number) {
    this.s.clearOutcome.run(id);
  }
  addChat(pollId: number, chatId: number) {
    this.s.addChat.run(pollId, chatId);
  }
  chats(pollId: number) {
    return this.s.chats.all(pollId);
  }
  isShownIn(pollId: number, chatId: number) {
    return !!this.s.shownIn.get(pollId, chatId);
  }
  /** Open polls of a collab plus sector-wide polls posted in this chat. */
  openHere(collabId: number, chatId: number) {
    return this.s.openHere.all(collabId, chatId);
  }
  openOfCollab(collabId: number) {
    return this.s.openOfCollab.all(collabId);
  }

  voter(pollId: number, personId: number) {
    return this.s.voter.get(pollId, personId);
  }
  addVoter(pollId: number, personId: number, ballot: string | null, votedAt: number | null) {
    this.s.insertVoter.run(pollId, personId, ballot, votedAt);
  }
  updateVoter(pollId: number, personId: number, ballot: string | null, votedAt: number | null) {
    this.s.updateVoter.run(ballot, votedAt, pollId, personId);
  }
  deleteVoter(pollId: number, personId: number) {
    this.s.deleteVoter.run(pollId, personId);
  }
  voterCount(pollId: number) {
    return this.s.voterCount.get(pollId)!.n;
  }
  insertBallot(pollId: number, ballot: string, entries: BallotEntry[]) {
    for (const e of entries) this.s.insertEntry.run(pollId, ballot, e.idx, e.value);
  }
  ballot(pollId: number, ballot: string) {
    return this.s.ballotEntries.all(pollId, ballot);
  }
  deleteBallot(pollId: number, ballot: string) {
    this.s.deleteBallot.run(pollId, ballot);
  }

  /** Ballots (or scores) per option, and the mean value: one aggregate query. */
  counts(pollId: number) {
    return this.s.counts.all(pollId);
  }
  firstPreferences(pollId: number) {
    return this.s.firstPreferences.all(pollId);
  }
  /** Every ranking, favourite first (ranked polls only). */
  /**
   * Every ranking, favourite first (ranked polls only), identical ones once
   * with how many ballots have them: a few thousand rows however many voted.
   */
  rankings(pollId: number): { rankings: number[][]; weights: number[] } {
    const rankings: number[][] = [];
    const weights: number[] = [];
    for (const { ranking, n } of this.s.rankings.iterate(pollId)) {
      const ranks = new Array<number>(ranking.length);
      for (let i = 0; i < ranking.length; i++) ranks[i] = ranking.charCodeAt(i) - 48;
      rankings.push(ranks);
      weights.push(n);
    }
    return { rankings, weights };
  }
  namedBallots(pollId: number) {
    return this.s.namedBallots.all(pollId);
  }
  allEntries(pollId: number) {
    return this.s.allEntries.all(pollId);
  }
  /** People who voted block in a named proposal. */
  blockers(pollId: number) {
    return this.s.blockers.all(pollId, pollId).map((r) => r.name);
  }
  /** Members seen where the poll is shown who have not voted (not for role-only polls: the service counts those). */
  missingVoters(poll: PollRow, limit: number): { count: number; names: string[] } {
    return {
      count: this.s.audienceMissingCount.get(poll.id, poll.collab_id, poll.id)!.n,
      names: this.s.audienceMissing.all(poll.id, poll.collab_id, poll.id, limit).map((r) => r.name),
    };
  }
  /** Has the person been seen in a collab where the poll is shown? */
  isAudience(poll: PollRow, personId: number) {
    return !!this.s.isAudience.get(personId, poll.id, poll.collab_id);
  }

  bothVoted(from: number, to: number) {
    return this.s.bothVoted.all(to, from);
  }
  countLinkedDouble(pollId: number) {
    this.s.countLinkedDouble.run(pollId);
  }
  movePerson(from: number, to: number) {
    this.s.moveVoters.run(to, from);
    this.s.moveCreator.run(to, from);
    this.s.moveCloser.run(to, from);
    this.s.moveOutcome.run(to, from);
  }
}
