// One set of minutes relayed to many chats on a fake platform that enforces its
// limits, on a fake clock: how close the relay gets to the fastest the limits
// allow. For tests and for the relay_1000 benchmark.
import { FakeClock } from '../../src/clock.js';
import { FakePlatform, PLATFORMS, runClock, type FakePlatformOptions } from './fake-platform.js';
import { createHarness, RecordingAdapter } from './harness.js';

export interface RelayResult {
  platform: string;
  chats: number;
  /** Fake seconds from the first delivery to the last. */
  seconds: number;
  /** Deliveries per second achieved, and allowed by the platform's overall limit (undefined when it has none). */
  achievedPerSec: number;
  allowedPerSec?: number;
  /** Shortest span the limits allow for these deliveries over the span achieved (1 = as fast as allowed). */
  ratio?: number;
  /**
   * The same, counting the random extra delay the platform's adapter asks for
   * on every message (WhatsApp) at its average, half of jitterMs: the fastest
   * that is meant to happen. Equals ratio where there is no jitter.
   */
  ratioWithJitter?: number;
  /** Sends the platform refused for going over its limits. */
  overLimit: number;
  /** Chats that got the minutes more than once (none got them never: measureRelay throws then). */
  repeated: number;
  wallMs: number;
}

export async function measureRelay(
  platform: keyof typeof PLATFORMS,
  chats: number,
  /** `limits`: what the fake enforces and declares instead of the platform's own (e.g. none, for a baseline). */
  o: Partial<Pick<FakePlatformOptions, 'latencyMs' | 'failRate' | 'rateLimitRate' | 'random' | 'limits'>> = {},
): Promise<RelayResult> {
  const clock = new FakeClock();
  let fake: FakePlatform | undefined;
  const h = await createHarness({
    admins: 'console:ana',
    clock,
    platforms: ['console', platform],
    adapterFor: (p, timeline) => (p === platform ? (fake = FakePlatform.preset(platform, { clock, timeline, latencyMs: 100, ...o })) : new RecordingAdapter(p, undefined, timeline)),
  });
  try {
    await h.script(':as ana\n/delegate add @dee Community Planning Partnership');
    const { collabs, people } = h.services;
    const ana = people.find('console', 'ana')!;
    h.db.transaction(() => {
      for (let i = 0; i < chats; i++) collabs.subscribe(collabs.ensureChat(platform, `chat-${i}`, `chat ${i}`, false), 'minutes', ana);
    })();
    const wall = performance.now();
    await h.say('/minutes "CPP board, 3 December" Budget consultation opens in January. Rural transport gaps raised by the sector.', { as: 'dee', wait: false });
    const delivered = () => new Set(fake!.accepted.map((a) => a.chat)).size;
    if (!(await runClock(clock, () => delivered() >= chats))) throw new Error(`only ${delivered()} of ${chats} chats got the minutes`);
    const wallMs = performance.now() - wall;
    // Let the last answers come back, so the bot stops at once.
    await runClock(clock, () => !(h.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'`).get() as { n: number }).n);
    const times = fake!.accepted.map((a) => a.at);
    const seconds = (times.at(-1)! - times[0]!) / 1000;
    const { jitterMs = 0 } = PLATFORMS[platform];
    const limits = o.limits ?? PLATFORMS[platform].limits;
    const g = limits.global;
    const allowedPerSec = g && (g.count * 1000) / g.intervalMs;
    // With a sliding window of `count` per interval, n sends need at least (ceil(n / count) - 1) intervals.
    const shortest = g ? ((Math.ceil(chats / g.count) - 1) * g.intervalMs) / 1000 : undefined;
    // One message at a time (count 1): each gap also waits jitterMs / 2 on average.
    const withJitter = shortest !== undefined && (!jitterMs || g!.count === 1) ? shortest + ((chats - 1) * jitterMs) / 2 / 1000 : undefined;
    return {
      platform,
      chats,
      seconds,
      achievedPerSec: seconds ? (chats - 1) / seconds : Infinity,
      allowedPerSec,
      ratio: shortest !== undefined && seconds ? shortest / seconds : undefined,
      ratioWithJitter: withJitter !== undefined && seconds ? withJitter / seconds : undefined,
      overLimit: fake!.stats.overLimit,
      repeated: [...fake!.byChat().values()].filter((texts) => texts.length > 1).length,
      wallMs,
    };
  } finally {
    await h.close();
  }
}
