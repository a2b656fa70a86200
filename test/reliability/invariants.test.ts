// The invariant checks themselves: quiet on a consistent database, and they
// notice each way "one vote per person per poll" can break.
import { describe, expect, it } from 'vitest';
import { createHarness } from '../helpers/harness.js';
import { pollDiscrepancies } from './invariants.js';

async function votedPolls() {
  const h = await createHarness({ admins: 'console:ana' });
  await h.script(`:as ana
/collab create Forum
/poll "Which day?" "Tuesday" "Thursday"
/poll "What first?" "Minibus" "Garden" "Repair cafe" --type ranked
/poll "Fund the minibus?" --type proposal --anonymous
:as ben
/vote 1 2
/vote 2 3 1
/vote 3 agree
:as cara
/vote 1 1
/vote 1 2
/vote 3 block -- it leaves out the under-18s`);
  return h;
}

describe('poll invariants', () => {
  it('find nothing wrong after ordinary voting, re-votes included', async () => {
    const h = await votedPolls();
    expect(pollDiscrepancies(h.db)).toEqual([]);
    await h.close();
  });

  it('notice a second ballot, a lost ballot, a shared ballot and a ballot of the wrong shape', async () => {
    const h = await votedPolls();
    const { db } = h;
    const ben = db.prepare(`SELECT v.ballot FROM poll_voters v JOIN people p ON p.id = v.person_id WHERE p.display_name = 'ben' AND v.poll_id = ?`).pluck();
    db.prepare(`INSERT INTO poll_ballots (poll_id, ballot, option_idx, value) VALUES (1, 'extra', 1, 1)`).run();
    expect(pollDiscrepancies(db)).toEqual(['poll #1: 3 ballots for 2 voters (0 linked doubles)']);
    db.prepare(`DELETE FROM poll_ballots WHERE ballot = 'extra'`).run();

    db.prepare(`DELETE FROM poll_ballots WHERE poll_id = 2 AND ballot = ?`).run(ben.get(2));
    expect(pollDiscrepancies(db)).toEqual(expect.arrayContaining([expect.stringMatching(/^poll #2: person \d+ voted but has no ballot$/)]));
    db.prepare(`DELETE FROM poll_voters WHERE poll_id = 2`).run();

    db.prepare(`UPDATE poll_voters SET ballot = ? WHERE poll_id = 1`).run(ben.get(1));
    expect(pollDiscrepancies(db)).toContain('poll #1: one ballot belongs to two voters');
    db.prepare(`DELETE FROM poll_voters WHERE poll_id = 1`).run();
    db.prepare(`DELETE FROM poll_ballots WHERE poll_id = 1`).run();
    expect(pollDiscrepancies(db)).toEqual([]);

    // A proposal ballot that says both agree and block.
    db.prepare(`UPDATE poll_anonymous_ballots SET ballots = json_insert(ballots, '$[0][#]', json('[4,1]')) WHERE poll_id = 3`).run();
    expect(pollDiscrepancies(db)).toEqual(['poll #3: a proposal ballot with 2 entries, values 1..1']);
    await h.close();
  });

  it('notice running tallies or voter counts that drifted from the ballots', async () => {
    const h = await votedPolls();
    const { db } = h;
    db.prepare('UPDATE poll_tallies SET n = n + 1 WHERE poll_id = 1 AND option_idx = 2').run();
    db.prepare('UPDATE polls SET voters = 5 WHERE id = 2').run();
    expect(pollDiscrepancies(db)).toEqual([
      'poll #1: running tallies [[2,3,2,2]] differ from the ballots [[2,2,2,2]]',
      'poll #2: says 5 voters, has 1',
    ]);
    await h.close();
  });
});
