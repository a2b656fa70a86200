// SQL for elections, their candidates and delegates' terms: prepared statements only.
import type { DB } from '../storage/db.js';

export type ElectionStatus = 'nominations' | 'voting' | 'decided' | 'lapsed';
export type CandidateStatus = 'nominated' | 'standing' | 'withdrawn' | 'elected' | 'not_elected';

export interface ElectionRow {
  id: number;
  body: string;
  seats: number;
  status: ElectionStatus;
  nominations_close_at: number;
  voting_ms: number;
  term_months: number;
  poll_id: number | null;
  collab_id: number | null;
  chat_id: number;
  created_by: number;
  created_at: number;
  decided_at: number | null;
}

export type NewElection = Omit<ElectionRow, 'id' | 'status' | 'poll_id' | 'decided_at'>;

export interface CandidateRow {
  election_id: number;
  person_id: number;
  name: string;
  status: CandidateStatus;
  option_idx: number | null;
  statement: string | null;
  nominated_by: number;
  created_at: number;
}

export interface TermRow {
  id: number;
  person_id: number;
  name: string;
  body: string;
  election_id: number;
  starts_at: number;
  ends_at: number;
}

export class ElectionsRepo {
  private s;
  constructor(db: DB) {
    const candidates = `SELECT c.election_id, c.person_id, p.display_name AS name, c.status, c.option_idx, c.statement, c.nominated_by, c.created_at
      FROM election_candidates c JOIN people p ON p.id = c.person_id`;
    // A term is current while its delegate role is the one granted when the term began.
    const currentTerms = `SELECT t.id, t.person_id, p.display_name AS name, t.body, t.election_id, t.starts_at, t.ends_at
      FROM delegate_terms t JOIN people p ON p.id = t.person_id
      JOIN roles r ON r.person_id = t.person_id AND r.role = 'delegate' AND r.granted_at = t.starts_at AND r.detail = t.body COLLATE NOCASE
      WHERE t.ended_at IS NULL`;
    this.s = {
      insert: db.prepare<[string, number, number, number, number, number | null, number, number, number]>(
        `INSERT INTO elections (body, seats, nominations_close_at, voting_ms, term_months, collab_id, chat_id, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      get: db.prepare<[number], ElectionRow>('SELECT * FROM elections WHERE id = ?'),
      byPoll: db.prepare<[number], ElectionRow>('SELECT * FROM elections WHERE poll_id = ?'),
      recent: db.prepare<[number], ElectionRow>('SELECT * FROM elections ORDER BY id DESC LIMIT ?'),
      runningFor: db.prepare<[string], ElectionRow>(`SELECT * FROM elections WHERE body = ? COLLATE NOCASE AND status IN ('nominations', 'voting') ORDER BY id`),
      laterFor: db.prepare<[string, number], ElectionRow>('SELECT * FROM elections WHERE body = ? COLLATE NOCASE AND id > ? ORDER BY id'),
      bodies: db.prepare<[], { body: string }>('SELECT body FROM elections GROUP BY body COLLATE NOCASE'),
      setStatus: db.prepare<[string, number | null, number, string]>('UPDATE elections SET status = ?, decided_at = ? WHERE id = ? AND status = ?'),
      setPoll: db.prepare<[number, number]>('UPDATE elections SET poll_id = ? WHERE id = ?'),
      setCloseAt: db.prepare<[number, number]>('UPDATE elections SET nominations_close_at = ? WHERE id = ?'),

      candidate: db.prepare<[number, number], CandidateRow>(`${candidates} WHERE c.election_id = ? AND c.person_id = ?`),
      candidates: db.prepare<[number], CandidateRow>(`${candidates} WHERE c.election_id = ? ORDER BY c.created_at, p.display_name COLLATE NOCASE`),
      upsertCandidate: db.prepare<[number, number, string, string | null, number, number, number]>(
        `INSERT INTO election_candidates (election_id, person_id, status, statement, nominated_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (election_id, person_id) DO UPDATE SET status = excluded.status, statement = excluded.statement,
           nominated_by = excluded.nominated_by, created_at = excluded.created_at, updated_at = excluded.updated_at`,
      ),
      setCandidate: db.prepare<[string, string | null, number, number, number]>(
        'UPDATE election_candidates SET status = ?, statement = ?, updated_at = ? WHERE election_id = ? AND person_id = ?',
      ),
      setOption: db.prepare<[number, number, number]>('UPDATE election_candidates SET option_idx = ? WHERE election_id = ? AND person_id = ?'),
      isCandidateOfPoll: db.prepare<[number, number], { id: number }>(
        `SELECT e.id FROM elections e JOIN election_candidates c ON c.election_id = e.id
         WHERE e.poll_id = ? AND c.person_id = ? AND c.status IN ('standing', 'nominated', 'elected', 'not_elected')`,
      ),

      insertTerm: db.prepare<[number, string, number, number, number]>(
        'INSERT INTO delegate_terms (person_id, body, election_id, starts_at, ends_at) VALUES (?, ?, ?, ?, ?)',
      ),
      currentTerms: db.prepare<[], TermRow>(`${currentTerms} ORDER BY t.ends_at`),
      currentTermsOf: db.prepare<[number], TermRow>(`${currentTerms} AND t.election_id = ? ORDER BY p.display_name COLLATE NOCASE`),
      endedTermsOfBody: db.prepare<[string, number], TermRow>(`${currentTerms} AND t.body = ? COLLATE NOCASE AND t.ends_at <= ?`),
      endTerm: db.prepare<[number, number]>('UPDATE delegate_terms SET ended_at = ? WHERE id = ?'),

      mergeCandidates: db.prepare<[number, number]>('UPDATE OR IGNORE election_candidates SET person_id = ? WHERE person_id = ?'),
      mergeTerms: db.prepare<[number, number]>('UPDATE delegate_terms SET person_id = ? WHERE person_id = ?'),
      mergeCreator: db.prepare<[number, number]>('UPDATE elections SET created_by = ? WHERE created_by = ?'),
      mergeNominator: db.prepare<[number, number]>('UPDATE election_candidates SET nominated_by = ? WHERE nominated_by = ?'),
    };
  }

  insert(e: NewElection): number {
    return Number(
      this.s.insert.run(e.body, e.seats, e.nominations_close_at, e.voting_ms, e.term_months, e.collab_id, e.chat_id, e.created_by, e.created_at).lastInsertRowid,
    );
  }
  get(id: number) {
    return this.s.get.get(id);
  }
  byPoll(pollId: number) {
    return this.s.byPoll.get(pollId);
  }
  recent(limit: number) {
    return this.s.recent.all(limit);
  }
  /** Elections of this body still in nominations or voting. */
  runningFor(body: string) {
    return this.s.runningFor.all(body);
  }
  laterFor(body: string, id: number) {
    return this.s.laterFor.all(body, id);
  }
  bodies() {
    return this.s.bodies.all().map((r) => r.body);
  }
  /** Move from one status to another; false if it was not in `from`. */
  setStatus(id: number, from: ElectionStatus, to: ElectionStatus, decidedAt: number | null): boolean {
    return this.s.setStatus.run(to, decidedAt, id, from).changes === 1;
  }
  setPoll(id: number, pollId: number) {
    this.s.setPoll.run(pollId, id);
  }
  setNominationsCloseAt(id: number, at: number) {
    this.s.setCloseAt.run(at, id);
  }

  candidate(electionId: number, personId: number) {
    return this.s.candidate.get(electionId, personId);
  }
  candidates(electionId: number) {
    return this.s.candidates.all(electionId);
  }
  putCandidate(electionId: number, personId: number, status: CandidateStatus, statement: string | null, by: number, now: number) {
    this.s.upsertCandidate.run(electionId, personId, status, statement, by, now, now);
  }
  setCandidate(electionId: number, personId: number, status: CandidateStatus, statement: string | null, now: number) {
    this.s.setCandidate.run(status, statement, now, electionId, personId);
  }
  setOption(electionId: number, personId: number, idx: number) {
    this.s.setOption.run(idx, electionId, personId);
  }
  /** The election whose poll this is, if the person stands (or stood) in it. */
  candidateInPoll(pollId: number, personId: number) {
    return this.s.isCandidateOfPoll.get(pollId, personId)?.id;
  }

  insertTerm(personId: number, body: string, electionId: number, startsAt: number, endsAt: number) {
    this.s.insertTerm.run(personId, body, electionId, startsAt, endsAt);
  }
  currentTerms() {
    return this.s.currentTerms.all();
  }
  currentTermsOf(electionId: number) {
    return this.s.currentTermsOf.all(electionId);
  }
  /** Current terms of a body that ended by `now`. */
  endedTerms(body: string, now: number) {
    return this.s.endedTermsOfBody.all(body, now);
  }
  endTerm(id: number, at: number) {
    this.s.endTerm.run(at, id);
  }

  mergePerson(from: number, to: number) {
    this.s.mergeCandidates.run(to, from);
    this.s.mergeTerms.run(to, from);
    this.s.mergeCreator.run(to, from);
    this.s.mergeNominator.run(to, from);
  }
}
