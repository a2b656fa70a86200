import { describe, expect, it } from 'vitest';
import { runConsole } from '../helpers/console-process.js';
import { DONE_WHEN_SCRIPT } from './done-when.js';

describe('polls in the real console bot (child process)', () => {
  it('runs the Done-when script: Thursday 2, Tuesday 1, the late vote refused, the outcome shown', async () => {
    // No admins: ana closes the poll as the person who asked it.
    const { code, stdout, stderr } = await runConsole(DONE_WHEN_SCRIPT + '\n');
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(stdout).toContain('[main] Poll #1: Which day for the forum?\n1. Tuesday\n2. Thursday\n');
    expect(stdout).toContain('[main] dan: your vote in poll #1 is now Tuesday (instead of Thursday).');
    expect(stdout).toContain('[main] Results of poll #1: Which day for the forum? (still open)\nThursday: 2 votes (67%)\nTuesday: 1 vote (33%)\n');
    expect(stdout).toContain('[main] Poll #1 is closed.\nResults of poll #1: Which day for the forum? (closed)\nThursday: 2 votes (67%)\nTuesday: 1 vote (33%)\n');
    expect(stdout).toContain('[main] Outcome of poll #1 (Which day for the forum?): We meet on Thursdays.\n');
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^\[main\] Poll #1 closed on .+, so it no longer takes votes\./);
  });
});
