/** `npm run test:reliability` runs the full sizes; `npm test` a smaller run of the same tests. */
export const FULL = process.env.RELIABILITY_FULL === '1';
export const size = (small: number, full: number) => (FULL ? full : small);
