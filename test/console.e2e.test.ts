import { describe, expect, it } from 'vitest';
import { runConsole } from './helpers/console-process.js';

describe('console adapter, end to end through a child process', () => {
  it('runs the README walk-through', async () => {
    const { code, stdout, stderr } = await runConsole(
      [':as ana', '/collab create Food Network', '/role add @ben lead', '/roles', '/help', '/polll', '/poll Lunch on Friday? Soup, Salad, Pizza', "/vote 1 soup -- it's cold out", '/poll reasons 1', ''].join('\n'),
      { COLLABOT_ADMINS: 'console:ana' },
    );
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('[main] Done: this chat is now the collab "Food Network", and ana is its facilitator.');
    expect(stdout).toContain('[main] Done: ben is now a lead.');
    expect(stdout).toMatch(/\[main\] Roles:\n• ana: admin\n• ben: lead\n• ana: facilitator of Food Network\n/);
    expect(stdout).toContain('[main] Here is what I can do.');
    expect(stdout).toContain('Polls: ask, vote with reasons, see results — /help polls');
    expect(stdout).toContain('[main] Poll #1: Lunch on Friday?\n1. Soup\n2. Salad\n3. Pizza');
    expect(stdout).toContain("[main] Poll #1: Lunch on Friday?\nReasons given:\nSoup:\n  - ana: it's cold out");
    expect(stdout).toMatch(/\[main\] I don't know \/polll\. (Did you mean \/poll\?|Type \/help)/);
    // Logs never reach stdout.
    expect(stdout).not.toContain('"level"');
    expect(stderr).not.toMatch(/at .*\.ts:\d+/); // no stack traces
  });

  it('keeps :in chats apart, prints direct messages as [@NAME], ignores comments and joins continued lines', async () => {
    const { code, stdout } = await runConsole(
      ['# a comment', ':in forum', ':as cara', '/collab create \\', 'Forum', '/link', ':in youth', '/collabs', ''].join('\n'),
    );
    expect(code).toBe(0);
    expect(stdout).toContain('[forum] Done: this chat is now the collab "Forum"');
    expect(stdout).toMatch(/\[@cara\] Your link code is \d{6}\./);
    expect(stdout).toContain('[youth] 1 collab:\n• Forum');
  });

  it('survives hostile lines and still answers the next command', async () => {
    const input = ['', '/', '/"unterminated', '/\u0001\u0002', 'x'.repeat(100_000), '/collab create ' + 'y'.repeat(100_000), '/nonsense', '/collabs', ''].join('\n');
    const { code, stdout } = await runConsole(input);
    expect(code).toBe(0);
    expect(stdout).toContain('That message is too long for me');
    expect(stdout).toContain("I don't know /nonsense");
    expect(stdout).toContain('[main] There are no collabs yet.');
  });

  it('stops with a clear message naming a bad setting', async () => {
    const { code, stdout, stderr } = await runConsole('', { COLLABOT_TZ: 'Mars/Olympus', COLLABOT_ADMINS: 'ana' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('COLLABOT_TZ: must be an IANA time zone');
    expect(stderr).toContain('COLLABOT_ADMINS: "ana" should look like platform:user');
  });
});
