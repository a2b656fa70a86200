// relay_1000: one set of minutes relayed to 1,000 chats on fake platforms that
// enforce their limits as the real ones do (test/helpers/fake-platform.ts), with
// the real bot, outbox and SQLite. Time is a fake clock, so minutes of platform
// time take seconds, but the processor time the bot spends working (its
// JavaScript and SQLite) passes on that clock too. Value: deliveries per second; baseline, measured
// in the same run: a loop that sends to the same fake platform as fast as its
// limits allow, with as many sends in flight as the sender, and does nothing
// else (idealRelay). No chat may get the minutes
// twice, none may be missed (measureRelay throws), no send may go over a limit.
//   Discord: 5 per 5 s per channel, 50 per second overall.
//   WhatsApp: as the adapter declares it for WHATSAPP_SEND_INTERVAL=4s: one per
//     chat every 4 s, one overall every 2 s, plus up to 2 s of random extra
//     delay on purpose, drawn at random for both (not fixed at its average).
//   Slack: 1 per second per channel, and the workspace-wide limit Slack
//     describes as "several hundred messages per minute", modelled as 300.
import { idealRelay, measureRelay, type RelayResult } from '../../test/helpers/relay-scenario.js';
import { PLATFORMS, type PlatformLimits } from '../../test/helpers/fake-platform.js';
import { result, seeded, type Bench, type Result } from './lib.js';

const GOAL = 0.9;
const SLACK: PlatformLimits = { ...PLATFORMS.slack.limits, global: { count: 300, intervalMs: 60_000 } };

function check(r: RelayResult) {
  if (r.repeated || r.overLimit) throw new Error(`${r.platform}: ${r.repeated} chats got the minutes twice, ${r.overLimit} sends went over the limit`);
}

export const relay: Bench = async ({ quick }) => {
  const chats = quick ? 300 : 1000;
  const wChats = quick ? 100 : chats;
  const latencyMs = 100;
  const real = { latencyMs, realWork: true };
  const discord = await measureRelay('discord', chats, real);
  const whatsapp = await measureRelay('whatsapp', wChats, { ...real, senderRandom: seeded(5) });
  const slack = await measureRelay('slack', chats, { ...real, limits: SLACK });
  for (const r of [discord, whatsapp, slack]) check(r);
  const ideal = {
    discord: idealRelay('discord', chats, { latencyMs }),
    whatsapp: idealRelay('whatsapp', wChats, { latencyMs, random: seeded(6) }),
    slack: idealRelay('slack', chats, { latencyMs, limits: SLACK }),
  };

  const common = (r: RelayResult) =>
    `${r.chats} chats, ${r.seconds.toFixed(1)} s of platform time (of which ${(r.cpuMs / 1000).toFixed(1)} s the bot's processor time, counted in it; ${(r.wallMs / 1000).toFixed(1)} s real), ${latencyMs} ms per send; each chat got the minutes once, no send over the limit`;
  const row = (bench: string, r: RelayResult, base: { perSec: number; seconds: number }, note: string, limits: string): Result => {
    const ratio = r.achievedPerSec / base.perSec;
    return result({
      bench: bench.replace('1000', String(r.chats)),
      value: r.achievedPerSec,
      unit: 'messages/s',
      baseline: base.perSec,
      ratio,
      goal: `ratio >= ${GOAL}`,
      met: ratio >= GOAL,
      note: `${note}; ${common(r)}`,
      limits,
    });
  };
  return [
    row('relay_1000_discord', discord, ideal.discord, 'baseline: a bare loop, 50 sends in flight, sending as fast as 50 per second overall and 5 per 5 s per channel allow', "Discord's own limits; the sender keeps up to 50 sends in flight and waits only as long as a limit says"),
    row(
      'relay_1000_whatsapp',
      whatsapp,
      ideal.whatsapp,
      `baseline: a bare loop keeping one send every 2 s plus the adapter's random extra delay (up to 2 s, drawn at random); against the bare limit alone (no delay) the ratio is ${whatsapp.ratio!.toFixed(3)}`,
      "WhatsApp's pace, kept on purpose so the number is not banned: the sender sends one message at a time, waiting the interval and the random delay",
    ),
    row(
      'relay_1000_slack',
      slack,
      ideal.slack,
      'baseline: a bare loop keeping 1 per second per channel and 300 per minute for the workspace (Slack: "several hundred per minute"); the fake declares both limits to the sender (the real Slack adapter declares the per-channel one and follows Slack\'s Retry-After answers beyond it)',
      "Slack's limits, 1 message a second per channel and the workspace's; the sender waits only as long as they say",
    ),
  ];
};
