// `npm run test:browser`: the transparency site in headless Chromium. Kept out of
// `npm test` (whose include is test/**), because it needs a browser installed.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test-browser/**/*.browser.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
