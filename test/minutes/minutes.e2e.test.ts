import { describe, expect, it } from 'vitest';
import { runConsole } from '../helpers/console-process.js';
import { DONE_WHEN_SCRIPT } from './script.js';

describe('minutes, end to end through the console child process', () => {
  it('runs the issue script: [forum] and [youth] get the minutes, [quiet] does not, and the comment reaches [@dee]', async () => {
    const { code, stdout } = await runConsole(DONE_WHEN_SCRIPT, { COLLABOT_ADMINS: 'console:ana' });
    expect(code).toBe(0);
    const minutes = 'Minutes #1: Community Planning Partnership\nMeeting: CPP board, 3 December\n';
    expect(stdout).toContain(`[forum] ${minutes}`);
    expect(stdout).toContain(`[youth] ${minutes}`);
    expect(stdout).not.toContain(`[quiet] Minutes`);
    expect(stdout).toContain('\n> Budget consultation opens in January. Rural transport gaps raised by the sector.\n');
    expect(stdout).toContain('[@dee] Comment on minutes #1 (CPP board, 3 December) from fay in forum (console):\n> Please raise the cuts to the 79 bus\n');
    expect(stdout).toContain('[forum] Thanks, fay. Your comment on minutes #1 has gone to dee');
  });
});
