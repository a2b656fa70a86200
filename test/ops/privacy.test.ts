import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(() => h?.close());

/** The JSON document from a /mydata direct message. */
function documentIn(lines: string[], to: string) {
  const dm = lines.filter((l) => l.startsWith(`[@${to}] `)).join('');
  const json = dm.slice(dm.indexOf('\n') + 1);
  return JSON.parse(json);
}

async function collective() {
  h = await createHarness({ admins: 'console:ana' });
  await h.script(`:as ana
/collab create Food Network
/role add @ben lead
/fund set discovery 5000
/poll "Which day?" "Tuesday" "Thursday"
/poll "Rate the rooms" "Hall" "Garden" --type score --anonymous
:as ben
/vote 1 2
/vote 2 1=4
/notes add Planning -- ACTION @ben by friday: book the hall
/grant request discovery 300 Pay for a room for six community meetings
/remind me in 2h Call the venue
/link`);
  // ben also wrote to the bot directly (WhatsApp's direct chat id is the person's own id).
  await h.say('/reminders me', { as: 'ben', in: 'ben', direct: true });
  h.take();
}

describe('/mydata', () => {
  it('sends the person, by direct message, everything stored about them as JSON, and says what cannot be tied to them', async () => {
    await collective();
    const lines = await h.say('/mydata', { as: 'ben' });
    expect(lines.at(-1)).toBe("[main] ben, I've sent you everything I keep about you in a direct message.");
    const doc = documentIn(lines, 'ben');
    expect(doc.accounts).toEqual([expect.objectContaining({ platform: 'console', user_id: 'ben', display_name: 'ben' })]);
    expect(doc.roles).toEqual([expect.objectContaining({ role: 'lead' })]);
    expect(doc.collabs).toEqual([expect.objectContaining({ collab: 'Food Network' })]);
    expect(doc.votesInNamedPolls).toEqual([expect.objectContaining({ poll: 1, question: 'Which day?', choices: [{ option: 'Thursday', value: 1 }] })]);
    // The anonymous poll: only that ben voted, never what.
    expect(doc.anonymousPollsVotedIn).toEqual([{ poll: 2, question: "Rate the rooms" }]);
    expect(JSON.stringify(doc)).not.toMatch(/"value":4/);
    expect(doc.notLinkedToYou).toMatch(/anonymous polls only the fact that you voted is kept/);
    expect(doc.notesWritten).toEqual([expect.objectContaining({ title: 'Planning' })]);
    expect(doc.actionsOwned).toEqual([expect.objectContaining({ text: expect.stringContaining('book the hall') })]);
    expect(doc.grantsRequested).toEqual([expect.objectContaining({ amount_pence: 30000, purpose: 'Pay for a room for six community meetings' })]);
    expect(doc.reminders).toEqual([expect.objectContaining({ text: 'Call the venue', personal: 1 })]);
    // Someone else's data is not in it.
    expect(JSON.stringify(doc)).not.toContain('"ana"');
  });

  it('comes in several messages when it is longer than the platform allows, which join back into the document', async () => {
    await collective();
    h.services.outbox.setMaxMessageLength('console', 400);
    const lines = await h.say('/mydata', { as: 'ben', direct: true, in: 'dm-ben' });
    const parts = lines.filter((l) => l.startsWith('[@ben] '));
    expect(parts.length).toBeGreaterThan(3);
    const joined = parts.map((p) => p.slice('[@ben] '.length)).join('\n');
    expect(() => JSON.parse(joined.slice(joined.indexOf('{')))).not.toThrow();
  });
});

describe('/forget', () => {
  it('first says what would happen and changes nothing; a member cannot erase someone else', async () => {
    await collective();
    const before = h.db.prepare('SELECT * FROM identities ORDER BY user_id').all();
    const [preview] = await h.say('/forget @ben', { as: 'ben' });
    expect(preview).toMatch(/^\[main\] This erases ben for good: .+\nTo go ahead, type: \/forget @ben --confirm$/s);
    const [refused] = await h.say('/forget @ana --confirm', { as: 'ben' });
    expect(refused).toBe('[main] Only @ana themselves or an admin can erase @ana. To erase yourself, type /forget @ben');
    expect(h.db.prepare('SELECT * FROM identities ORDER BY user_id').all()).toEqual(before);
  });

  it('erases a person: name, platform ids, direct messages, link codes, personal reminders; keeps grants and votes unnamed; anonymous ballots untouched', async () => {
    await collective();
    const ballotsBefore = h.db.prepare('SELECT * FROM poll_ballots ORDER BY poll_id, ballot').all();
    const [done] = await h.say('/forget @ben --confirm', { as: 'ana' });
    expect(done).toBe(
      [
        '[main] Done: ben has been erased. Removed:',
        '• 1 account (platform ids) and the name, now "former member"',
        '• 1 link code and the name and id of 1 direct chat', // the direct messages were delivered, so not kept
        '• 1 role and 1 collab membership',
        '• 1 personal reminder cancelled',
        'Kept without the name, because the collective and its funders rely on them:',
        '• 1 grant record, 0 minutes records, 2 votes, 2 notes and actions, 0 stories',
        'Anonymous ballots were never linked to anyone and are untouched.',
      ].join('\n'),
    );
    expect(h.db.prepare(`SELECT COUNT(*) AS n FROM identities WHERE user_id = 'ben'`).get()).toEqual({ n: 0 });
    expect(h.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE dest IN ('u:ben', 'c:ben')`).get()).toEqual({ n: 0 });
    expect(h.db.prepare(`SELECT dest FROM outbox_last_sent`).pluck().all()).not.toContainEqual(expect.stringMatching(/ben/));
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM link_codes').get()).toEqual({ n: 0 });
    expect(h.db.prepare(`SELECT COUNT(*) AS n FROM people WHERE display_name = 'ben'`).get()).toEqual({ n: 0 });
    expect(h.db.prepare(`SELECT chat_id, name FROM chats WHERE is_direct = 1`).all()).toEqual([{ chat_id: expect.stringMatching(/^erased-\d+$/), name: 'direct messages (former member)' }]);
    expect(JSON.stringify(h.db.prepare('SELECT * FROM chats').all())).not.toMatch(/\bben\b/);
    expect(h.db.prepare('SELECT status, text FROM reminders').all()).toEqual([{ status: 'cancelled', text: '(erased)' }]);
    expect(h.services.scheduler.pendingAt('reminder:1')).toBeUndefined();
    expect(h.db.prepare('SELECT poll_id FROM poll_voters ORDER BY poll_id').pluck().all()).toEqual([1, 2]);
    expect(h.db.prepare('SELECT * FROM poll_ballots ORDER BY poll_id, ballot').all()).toEqual(ballotsBefore);
    expect(JSON.stringify(h.db.prepare('SELECT * FROM grant_ledger').all())).not.toContain('"ben"');

    // Records stay, showing "former member" where the name was.
    const [grant] = await h.say('/grant show 1', { as: 'ana' });
    expect(grant).toContain('former member');
    expect(grant).not.toMatch(/\bben\b/);
    const [results] = await h.say('/poll results 1', { as: 'ana' });
    expect(results).toContain('Thursday: 1 vote');
    // The reminder never comes.
    expect(await h.advance(3 * 3600_000)).toEqual([]);
  });

  it('lets a person erase themselves; if they come back they start with nothing from before', async () => {
    await collective();
    const [done] = await h.say('/forget @ben --confirm', { as: 'ben' });
    expect(done).toMatch(/^\[main\] Done: you have been erased\./);
    const lines = await h.say('/mydata', { as: 'ben' });
    const doc = documentIn(lines, 'ben');
    expect(doc.roles).toEqual([]);
    expect(doc.grantsRequested).toEqual([]);
    expect(doc.votesInNamedPolls).toEqual([]);
  });

  it("finds a person's direct chats by who wrote in them, never another person's chat whose name holds theirs", async () => {
    h = await createHarness({ admins: 'console:ana' });
    // On Slack and Discord a direct chat's id is a channel id, not the person's.
    await h.say('/reminders me', { as: 'ben', in: 'D100', direct: true });
    await h.say('/reminders me', { as: 'benjamin', in: 'D200', direct: true });
    // A direct chat seen before owners were recorded, named after someone else.
    h.db.prepare(`INSERT INTO chats (platform, chat_id, name, is_direct) VALUES ('console', 'D300', 'DM with Benjamin', 1)`).run();
    await h.say('/forget @ben --confirm', { as: 'ana' });
    const chats = h.db.prepare('SELECT chat_id, name, direct_user_id FROM chats WHERE is_direct = 1 ORDER BY chat_id').all();
    expect(chats).toEqual([
      { chat_id: 'D100', name: 'direct messages (former member)', direct_user_id: null },
      { chat_id: 'D200', name: 'D200', direct_user_id: 'benjamin' },
      { chat_id: 'D300', name: 'DM with Benjamin', direct_user_id: null },
    ]);
  });
});
