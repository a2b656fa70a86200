// One set of minutes relayed to many chats on a fake platform that enforces its
// limits, on a fake clock: how close the relay gets to the fastest the limits
// allow. For tests and for the relay_1000 benchmark.
import { FakeClock } from '../../src/clock.js';
import { RateLimiter } from '../../src/outbox/rate-limiter.js';
import { FakePlatform, PLATFORMS, runClock, settle, type FakePlatformOptions, type PlatformLimits } from './fake-platform.js';
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
  /** Processor time the bot used meanwhile. */
  cpuMs: number;
}

export async function measureRelay(
  platform: keyof typeof PLATFORMS,
  chats: number,
  /** `limits`: what the fake enforces and declares instead of the platform's own (e.g. none, for a baseline). */
  o: Partial<Pick<FakePlatformOptions, 'latencyMs' | 'failRate' | 'rateLimitRate' | 'random' | 'limits'>> & {
    /** The sender's random numbers (its deliberate delays); default a fixed 0.5, the average. */
    senderRandom?: () => number;
    /** Count the real time the bot spends (CPU, SQLite) as platform time too. */
    realWork?: boolean;
  } = {},
): Promise<RelayResult> {
  const clock = new FakeClock();
  let fake: FakePlatform | undefined;
  const h = await createHarness({
    admins: 'console:ana',
    clock,
    sender: o.senderRandom ? { random: o.senderRandom } : {},
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
    const cpu0 = process.cpuUsage();
    await h.say('/minutes "CPP board, 3 December" Budget consultation opens in January. Rural transport gaps raised by the sector.', { as: 'dee', wait: false });
    const delivered = () => new Set(fake!.accepted.map((a) => a.chat)).size;
    const run = o.realWork ? runClockWithWork : runClock;
    if (!(await run(clock, () => delivered() >= chats))) throw new Error(`only ${delivered()} of ${chats} chats got the minutes`);
    const wallMs = performance.now() - wall;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
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
      cpuMs,
    };
  } finally {
    await h.close();
  }
}

/**
 * runClock, but the processor time the work between timers took (the bot's
 * JavaScript and SQLite, user and system time) passes on the fake clock too,
 * as it would on a real platform. Processor time rather than elapsed time, so
 * other programs on a busy machine do not count as the bot's work.
 */
async function runClockWithWork(clock: FakeClock, done: () => boolean, maxMs = 24 * 3_600_000): Promise<boolean> {
  const end = clock.now() + maxMs;
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let last = cpuMs();
  for (;;) {
    await settle();
    const spent = cpuMs() - last;
    clock.advance(spent);
    last = cpuMs();
    if (done()) return true;
    const next = clock.nextAt();
    if (next === undefined || next > end) return done();
    clock.set(Math.max(next, clock.now()));
  }
}

/**
 * The baseline for a relay: the same fake platform and limits, sent to by a
 * loop that does nothing but wait as long as the limits (and the adapter's
 * random delay, drawn from `random`) say, with as many sends in flight as the
 * sender allows, each taking `latencyMs`. Deliveries per second from the first
 * to the last, measured.
 */
export function idealRelay(platform: keyof typeof PLATFORMS, chats: number, o: { limits?: PlatformLimits; random?: () => number; latencyMs?: number } = {}) {
  const clock = new FakeClock();
  const limits = o.limits ?? PLATFORMS[platform].limits;
  const { jitterMs } = PLATFORMS[platform];
  const fake = new FakePlatform({ platform, clock, limits, jitterMs });
  const limiter = new RateLimiter({ ...limits, jitterMs }, o.random ?? Math.random);
  // The sender's default: 8 in flight, or the overall limit if higher (up to 64).
  const slots: number[] = Array(Math.min(64, Math.max(8, limits.global?.count ?? 0))).fill(clock.now());
  for (let i = 0; i < chats; i++) {
    const dest = `c:chat-${i}`;
    slots.sort((a, b) => a - b);
    if (slots[0]! > clock.now()) clock.set(slots[0]!);
    for (let wait = limiter.waitMs(dest, clock.now()); wait > 0; wait = limiter.waitMs(dest, clock.now())) clock.advance(wait);
    limiter.record(dest, clock.now());
    slots[0] = clock.now() + (o.latencyMs ?? 0);
    void fake.send({ platform, chatId: `chat-${i}` }, { text: 'minutes' });
  }
  if (fake.stats.overLimit) throw new Error('the ideal relay went over a limit');
  const times = fake.accepted.map((a) => a.at);
  const seconds = (times.at(-1)! - times[0]!) / 1000;
  return { seconds, perSec: seconds ? (chats - 1) / seconds : Infinity };
}
