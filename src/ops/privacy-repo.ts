// SQL for /mydata (everything stored about a person) and /forget (erasing them).
// A person may be several people rows joined by /link: `ids` is all of them.
import type { DB } from '../storage/db.js';

type Row = Record<string, unknown>;

/** `?, ?, ?` for an IN list; the values are always bound, never spliced. */
function marks(n: number) {
  return Array(n).fill('?').join(', ');
}

export class PrivacyRepo {
  constructor(private db: DB) {}

  /** The person and every person /link merged into them. */
  personIds(personId: number): number[] {
    return this.db.prepare<[number, number], { id: number }>('SELECT id FROM people WHERE id = ? OR merged_into = ? ORDER BY id').all(personId, personId).map((r) => r.id);
  }

  private all(sql: string, ids: number[], extra: unknown[] = []): Row[] {
    return this.db.prepare(sql.replaceAll('(:ids)', `(${marks(ids.length)})`)).all(...extra, ...expand(sql, ids)) as Row[];
  }

  /** Everything about these people, table by table, in plain column names. */
  collect(ids: number[]) {
    const q = (sql: string) => this.all(sql, ids);
    return {
      person: q('SELECT id, display_name, created_at FROM people WHERE id IN (:ids)'),
      accounts: q('SELECT platform, user_id, display_name, updated_at FROM identities WHERE person_id IN (:ids) ORDER BY platform'),
      roles: q(`SELECT r.role, c.name AS collab, r.detail, r.granted_at FROM roles r LEFT JOIN collabs c ON c.id = r.collab_id WHERE r.person_id IN (:ids) ORDER BY r.granted_at`),
      collabs: q('SELECT c.name AS collab, m.first_seen FROM members m JOIN collabs c ON c.id = m.collab_id WHERE m.person_id IN (:ids) ORDER BY c.name'),
      votesInNamedPolls: q(
        `SELECT p.id AS poll, p.question, v.voted_at,
           (SELECT json_group_array(json_object('option', o.label, 'value', b.value)) FROM poll_ballots b
              JOIN poll_options o ON o.poll_id = b.poll_id AND o.idx = b.option_idx WHERE b.poll_id = v.poll_id AND b.ballot = v.ballot) AS choices
         FROM poll_voters v JOIN polls p ON p.id = v.poll_id WHERE v.person_id IN (:ids) AND v.ballot IS NOT NULL AND p.anonymous = 0 ORDER BY v.voted_at`,
      ).map((r) => ({ ...r, choices: JSON.parse(String(r.choices ?? '[]')) })),
      anonymousPollsVotedIn: q(
        `SELECT p.id AS poll, p.question FROM poll_voters v JOIN polls p ON p.id = v.poll_id
         WHERE v.person_id IN (:ids) AND p.anonymous = 1 ORDER BY p.id`,
      ),
      pollsAsked: q('SELECT id AS poll, question, created_at FROM polls WHERE created_by IN (:ids) ORDER BY id'),
      notesWritten: q('SELECT id AS note, title, body, created_at FROM notes WHERE author_id IN (:ids) ORDER BY id'),
      noteVersionsWritten: q('SELECT note_id AS note, version, title, body, written_at FROM note_versions WHERE written_by IN (:ids) ORDER BY note_id, version'),
      actionsOwned: q('SELECT id AS action, text, due_date, status, created_at FROM actions WHERE owner_id IN (:ids) ORDER BY id'),
      grantsRequested: q('SELECT id AS grant_id, category, amount AS amount_pence, purpose, state, created_at FROM grants WHERE requested_by IN (:ids) ORDER BY id'),
      grantDecisions: q('SELECT grant_id, decision, note, decided_at FROM grant_decisions WHERE person_id IN (:ids) ORDER BY decided_at'),
      stories: q('SELECT id AS story, text, created_at FROM stories WHERE author_id IN (:ids) ORDER BY id'),
      minutesPosted: q('SELECT id AS minutes, body, meeting, text, created_at FROM minutes WHERE delegate_id IN (:ids) ORDER BY id'),
      comments: q('SELECT minutes_id AS minutes, text, created_at FROM minutes_comments WHERE person_id IN (:ids) ORDER BY id'),
      reminders: q(
        'SELECT id AS reminder, text, when_text, status, CASE WHEN person_id IS NULL THEN 0 ELSE 1 END AS personal, created_at FROM reminders WHERE created_by IN (:ids) OR person_id IN (:ids) ORDER BY id',
      ),
    };
  }

  /** Direct-message destinations (`u:<id>`) of these people's accounts. */
  accounts(ids: number[]) {
    return this.all('SELECT platform, user_id FROM identities WHERE person_id IN (:ids)', ids) as { platform: string; user_id: string }[];
  }

  /** Erase: returns how many rows each step changed. Run inside one transaction. */
  erase(ids: number[], accounts: { platform: string; user_id: string }[], now: number) {
    const run = (sql: string, extra: unknown[] = []) =>
      this.db.prepare(sql.replaceAll('(:ids)', `(${marks(ids.length)})`)).run(...extra, ...expand(sql, ids)).changes;
    let messages = 0;
    let chats = 0;
    for (const a of accounts) {
      // Their direct-message chats: WhatsApp's (and the console's) chat id is their own id, and the name is theirs.
      const name = this.db.prepare<[string, string], { display_name: string }>('SELECT display_name FROM identities WHERE platform = ? AND user_id = ?').get(a.platform, a.user_id)?.display_name;
      const dmChats = this.db
        .prepare<[string, string, string, string | null, string | null], { id: number; chat_id: string }>(
          // Theirs by who wrote in it; a chat not seen since that was recorded (migration 212), by their name as a word in its name.
          `SELECT id, chat_id FROM chats WHERE platform = ? AND is_direct = 1 AND (chat_id = ? OR direct_user_id = ?
             OR (direct_user_id IS NULL AND ? IS NOT NULL AND instr(' ' || lower(name) || ' ', ' ' || lower(?) || ' ') > 0))`,
        )
        .all(a.platform, a.user_id, a.user_id, name ?? null, name ?? null);
      for (const c of dmChats) {
        messages += this.db.prepare('DELETE FROM outbox WHERE platform = ? AND dest = ?').run(a.platform, `c:${c.chat_id}`).changes;
        this.db.prepare('DELETE FROM message_refs WHERE platform = ? AND dest = ?').run(a.platform, `c:${c.chat_id}`);
        this.db.prepare('DELETE FROM outbox_last_sent WHERE platform = ? AND dest = ?').run(a.platform, `c:${c.chat_id}`);
        this.db
          .prepare(`UPDATE chats SET name = 'direct messages (former member)', direct_user_id = NULL, chat_id = CASE WHEN chat_id = ? THEN 'erased-' || id ELSE chat_id END WHERE id = ?`)
          .run(a.user_id, c.id);
        chats++;
      }
      messages += this.db.prepare('DELETE FROM outbox WHERE platform = ? AND dest = ?').run(a.platform, `u:${a.user_id}`).changes;
      this.db.prepare('DELETE FROM message_refs WHERE platform = ? AND dest = ?').run(a.platform, `u:${a.user_id}`);
      this.db.prepare('DELETE FROM delivery_failures WHERE platform = ? AND dest = ?').run(a.platform, `u:${a.user_id}`);
      this.db.prepare('DELETE FROM outbox_last_sent WHERE platform = ? AND dest = ?').run(a.platform, `u:${a.user_id}`);
    }
    const personalReminders = this.all(`SELECT id FROM reminders WHERE person_id IN (:ids) AND status IN ('active', 'paused')`, ids).map((r) => r.id as number);
    return {
      accounts: run('DELETE FROM identities WHERE person_id IN (:ids)'),
      // Link codes, and the records of links made (they hold the platform ids and roles of both accounts, for /link undo).
      linkCodes: run('DELETE FROM link_codes WHERE person_id IN (:ids)') + run('DELETE FROM person_links WHERE into_person IN (:ids) OR from_person IN (:ids)'),
      messages,
      chats,
      roles: run('DELETE FROM roles WHERE person_id IN (:ids)'),
      memberships: run('DELETE FROM members WHERE person_id IN (:ids)'),
      personalReminders,
      remindersCancelled: run(
        `UPDATE reminders SET status = 'cancelled', next_at = NULL, text = '(erased)', updated_at = ? WHERE person_id IN (:ids) AND status IN ('active', 'paused')`,
        [now],
      ),
      names:
        run(`UPDATE people SET display_name = 'former member' WHERE id IN (:ids)`) +
        run(`UPDATE actions SET owner_name = 'former member' WHERE owner_id IN (:ids)`) +
        run(`UPDATE grant_ledger SET actor_name = 'former member' WHERE actor_id IN (:ids)`),
    };
  }

  /** What stays, counted, for the reply. */
  kept(ids: number[]) {
    const n = (sql: string) => Number((this.all(sql, ids)[0] as { n: number }).n);
    return {
      grants: n('SELECT COUNT(*) AS n FROM grants WHERE requested_by IN (:ids)') + n('SELECT COUNT(*) AS n FROM grant_decisions WHERE person_id IN (:ids)'),
      minutes: n('SELECT COUNT(*) AS n FROM minutes WHERE delegate_id IN (:ids)') + n('SELECT COUNT(*) AS n FROM minutes_comments WHERE person_id IN (:ids)'),
      votes: n('SELECT COUNT(*) AS n FROM poll_voters WHERE person_id IN (:ids)'),
      notes: n('SELECT COUNT(*) AS n FROM notes WHERE author_id IN (:ids)') + n('SELECT COUNT(*) AS n FROM actions WHERE owner_id IN (:ids)'),
      stories: n('SELECT COUNT(*) AS n FROM stories WHERE author_id IN (:ids)'),
    };
  }
}

/** The id list once per `(:ids)` in the statement. */
function expand(sql: string, ids: number[]): number[] {
  const times = sql.split('(:ids)').length - 1;
  return Array.from({ length: times }, () => ids).flat();
}
