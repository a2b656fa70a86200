// The real console bot as a child process with stdin kept open: a reminder set
// for two seconds later is printed about two seconds later.
import { describe, expect, it } from 'vitest';
import { startConsole } from '../helpers/console-process.js';

describe('reminders in the console, end to end', () => {
  it('prints /remind in 2 seconds about two seconds later, and still exits when input ends', async () => {
    const bot = startConsole({ COLLABOT_ADMINS: 'console:ana' });
    bot.write(':as ana\n/collab create Food Network\n/remind in 2 seconds Bring your receipts');
    await bot.waitFor(/\[main\] Done: reminder 1 will remind this chat on .* \(in 2 seconds\): Bring your receipts\n/);
    const confirmed = Date.now();
    await bot.waitFor(/^\[main\] Reminder: Bring your receipts$/m);
    const waited = Date.now() - confirmed;
    expect(waited).toBeGreaterThan(1500);
    expect(waited).toBeLessThan(4000);
    // A reminder still pending when input ends stays in the database; the bot exits as before.
    bot.write('/remind in 1 hour Lock up');
    await bot.waitFor(/Done: reminder 2 will remind this chat/);
    const { code, stdout } = await bot.end();
    expect(code).toBe(0);
    expect(stdout.match(/Reminder: Bring your receipts/g)).toHaveLength(1);
    expect(stdout).not.toContain('Reminder: Lock up');
  });
});
