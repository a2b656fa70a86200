import { it } from 'vitest';
import { createHarness } from '../helpers/harness.js';
it('scratch', async () => {
  const h = await createHarness({ admins: 'console:ana' });
  const lines = process.env.SCRIPT!.split('\n');
  for (const l of lines) {
    if (!l.trim()) continue;
    const out = await h.say(l.replace(/^(\w+): /, ''), l.match(/^(\w+): /) ? { as: l.match(/^(\w+): /)![1] } : {});
    console.log('> ' + l + '\n' + out.join('\n') + '\n');
  }
  await h.close();
});
