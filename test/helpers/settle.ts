/** Let `turns` rounds of queued callbacks run (promises, setImmediate), with real timers. */
export async function settle(turns = 30): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}
