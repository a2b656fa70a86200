// The SQL behind the public site. Every query here reads only what may be
// public (see docs/operate/site.md, "What the site shows"): no votes, notes,
// actions, comment texts, link codes, chat ids or platform user ids, and from
// collabs that do not publish only their grants. Prepared statements only.
import type { DB } from '../storage/db.js';

export interface SiteGrantRow {
  id: number;
  category: string;
  fund_name: string;
  decided_by: 'approvals' | 'poll';
  collab_name: string;
  collab_published: number;
  purpose: string;
  amount: number;
  state: 'approved' | 'paid' | 'reported';
  poll_id: number | null;
  decided_at: number | null;
  paid_at: number | null;
  report_text: string | null;
  report_at: number | null;
  report_outcome: string | null;
  outcome: string | null;
}

export interface SitePollRow {
  id: number;
  collab_name: string;
  question: string;
  type: 'choice' | 'proposal' | 'ranked' | 'score';
  anonymous: number;
  quorum: number | null;
  voters: number;
  outcome: string | null;
  closed_at: number;
}

export interface SiteStoryRow {
  id: number;
  collab_name: string;
  text: string;
  outcome: string | null;
  grant_id: number | null;
  created_at: number;
  /** The author's name only when they agreed; otherwise null (show the collab's name). */
  author_name: string | null;
}

export interface SiteMinutesRow {
  id: number;
  body: string;
  meeting: string;
  text: string;
  delegate_name: string;
  created_at: number;
  comments: number;
}

/** The entries of an anonymous poll's ballots for option `o` (in a subquery over poll_options o). */
const ANON_ENTRIES = `FROM poll_anonymous_ballots a, json_each(a.ballots) b, json_each(b.value) e
  WHERE a.poll_id = o.poll_id AND json_extract(e.value, '$[0]') = o.idx`;

export class SiteRepo {
  private s;
  constructor(db: DB) {
    this.s = {
      funds: db.prepare<[], { category: string; name: string; budget: number; decided_by: string; reserved: number; paid: number }>(
        `SELECT f.category, f.name, f.budget, f.decided_by,
           IFNULL((SELECT SUM(amount) FROM grants g WHERE g.category = f.category AND g.state IN ('approved', 'paid', 'reported')), 0) AS reserved,
           IFNULL((SELECT SUM(amount) FROM grants g WHERE g.category = f.category AND g.state IN ('paid', 'reported')), 0) AS paid
         FROM grant_funds f ORDER BY f.position`,
      ),
      grants: db.prepare<[], SiteGrantRow>(
        `SELECT g.id, g.category, f.name AS fund_name, f.decided_by, c.name AS collab_name, c.publish AS collab_published,
           g.purpose, g.amount, g.state, g.poll_id,
           (SELECT MAX(l.at) FROM grant_ledger l WHERE l.grant_id = g.id AND l.to_state = 'approved') AS decided_at,
           (SELECT MAX(l.at) FROM grant_ledger l WHERE l.grant_id = g.id AND l.to_state = 'paid') AS paid_at,
           r.text AS report_text, r.created_at AS report_at, r.outcome AS report_outcome, g.outcome
         FROM grants g JOIN grant_funds f ON f.category = g.category JOIN collabs c ON c.id = g.collab_id
         LEFT JOIN stories r ON r.id = (SELECT MAX(id) FROM stories s WHERE s.grant_id = g.id)
         WHERE g.state IN ('approved', 'paid', 'reported')
         ORDER BY decided_at DESC, g.id DESC`,
      ),
      // Leads are named on purpose: their decisions on public money are public.
      approvers: db.prepare<[number], { name: string }>(
        `SELECT p.display_name AS name FROM grant_decisions d JOIN people p ON p.id = d.person_id
         WHERE d.grant_id = ? AND d.decision = 'approve' ORDER BY d.decided_at`,
      ),
      polls: db.prepare<[], SitePollRow>(
        `SELECT p.id, c.name AS collab_name, p.question, p.type, p.anonymous, p.quorum, p.voters, p.outcome, p.closed_at
         FROM polls p JOIN collabs c ON c.id = p.collab_id
         WHERE p.status = 'closed' AND c.publish = 1 AND p.origin IS NULL
         ORDER BY p.closed_at DESC, p.id DESC`,
      ),
      // A grant's leads' poll: its result decides the grant, which is public.
      poll: db.prepare<[number], SitePollRow>(
        `SELECT p.id, '' AS collab_name, p.question, p.type, p.anonymous, p.quorum, p.voters, p.outcome, p.closed_at FROM polls p WHERE p.id = ?`,
      ),
      // Anonymous polls keep no tallies: they are counted from their ballots list (migration 150).
      options: db.prepare<[number], { idx: number; label: string; n: number; total: number }>(
        `SELECT o.idx, o.label,
           COALESCE(t.n, (SELECT COUNT(*) ${ANON_ENTRIES}), 0) AS n,
           COALESCE(t.total, (SELECT SUM(json_extract(e.value, '$[1]')) ${ANON_ENTRIES}), 0) AS total
         FROM poll_options o LEFT JOIN poll_tallies t ON t.poll_id = o.poll_id AND t.option_idx = o.idx
         WHERE o.poll_id = ? ORDER BY o.idx`,
      ),
      stories: db.prepare<[], SiteStoryRow>(
        `SELECT s.id, c.name AS collab_name, s.text, s.outcome, s.grant_id, s.created_at,
           CASE WHEN s.author_named = 1 THEN p.display_name END AS author_name
         FROM stories s JOIN collabs c ON c.id = s.collab_id JOIN people p ON p.id = s.author_id
         WHERE c.publish = 1 ORDER BY s.created_at DESC, s.id DESC`,
      ),
      minutes: db.prepare<[], SiteMinutesRow>(
        `SELECT m.id, m.body, m.meeting, m.text, p.display_name AS delegate_name, m.created_at,
           (SELECT COUNT(*) FROM minutes_comments k WHERE k.minutes_id = m.id) AS comments
         FROM minutes m JOIN people p ON p.id = m.delegate_id ORDER BY m.created_at DESC, m.id DESC`,
      ),
      delegates: db.prepare<[], { body: string; name: string; since: number }>(
        `SELECT IFNULL(r.detail, '') AS body, p.display_name AS name, r.granted_at AS since
         FROM roles r JOIN people p ON p.id = r.person_id WHERE r.role = 'delegate' ORDER BY body, p.display_name`,
      ),
      leads: db.prepare<[], { name: string }>(
        `SELECT p.display_name AS name FROM roles r JOIN people p ON p.id = r.person_id WHERE r.role = 'lead' ORDER BY p.display_name`,
      ),
      collabs: db.prepare<[], { id: number; name: string; about: string | null; members: number }>(
        `SELECT c.id, c.name, c.about, (SELECT COUNT(*) FROM members m WHERE m.collab_id = c.id) AS members
         FROM collabs c WHERE c.publish = 1 ORDER BY c.name`,
      ),
      outcomes: db.prepare<[], { slug: string; name: string; position: number }>('SELECT slug, name, position FROM story_outcomes ORDER BY position, slug'),
      measures: db.prepare<[], { id: number; name: string; unit: string; outcome: string; description: string | null }>(
        'SELECT id, name, unit, outcome, description FROM measures ORDER BY name',
      ),
      figures: db.prepare<[], { measure_id: number; collab_name: string; published: number; period: string; value: number }>(
        `SELECT v.measure_id, c.name AS collab_name, c.publish AS published, v.period, v.value
         FROM measure_values v JOIN collabs c ON c.id = v.collab_id WHERE v.replaced_at IS NULL ORDER BY v.period`,
      ),
    };
  }

  funds() {
    return this.s.funds.all();
  }
  grants() {
    return this.s.grants.all();
  }
  approvers(grantId: number) {
    return this.s.approvers.all(grantId).map((r) => r.name);
  }
  polls() {
    return this.s.polls.all();
  }
  poll(id: number) {
    return this.s.poll.get(id);
  }
  options(pollId: number) {
    return this.s.options.all(pollId);
  }
  stories() {
    return this.s.stories.all();
  }
  minutes() {
    return this.s.minutes.all();
  }
  delegates() {
    return this.s.delegates.all();
  }
  leads() {
    return this.s.leads.all().map((r) => r.name);
  }
  collabs() {
    return this.s.collabs.all();
  }
  outcomes() {
    return this.s.outcomes.all();
  }
  measures() {
    return this.s.measures.all();
  }
  figures() {
    return this.s.figures.all();
  }
}
