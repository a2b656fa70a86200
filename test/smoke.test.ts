import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

describe('harness', () => {
  it('creates a collab and grants roles through typed commands', async () => {
    h = await createHarness({ admins: 'console:ana' });
    const out = await h.script(`
:as ana
/collab create Food Network
/role add @ben lead
/roles`);
    expect(out[0]).toContain('[main] Done: this chat is now the collab "Food Network"');
    expect(out[1]).toBe('[main] Done: ben is now a lead.');
    expect(out[2]).toContain('ana: admin');
    expect(out[2]).toContain('ben: lead');
    expect(out[2]).toContain('ana: facilitator of Food Network');
  });
});
