import { it } from 'vitest';
import { createHarness } from '../helpers/harness.js';
it('scratch', async () => {
  const h = await createHarness({ admins: 'console:ana' });
  for (const l of process.env.SCRIPT!.split('\n')) {
    if (!l.trim()) continue;
    const adv = /^advance (\d+)/.exec(l);
    const out = adv ? await h.advance(Number(adv[1]) * 60_000) : await h.say(l.replace(/^(\w+): /, ''), l.match(/^(\w+): /) ? { as: l.match(/^(\w+): /)![1] } : {});
    console.log('> ' + l + '\n' + out.join('\n') + '\n');
  }
  await h.close();
});
