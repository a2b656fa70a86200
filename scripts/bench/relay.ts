// relay_1000: one set of minutes relayed to 1,000 chats on fake platforms that
// enforce their limits as the real ones do (test/helpers/fake-platform.ts), on
// a fake clock, so minutes of platform time take a second or two. Value: the
// rate achieved over the rate the limits allow; no chat may get the minutes
// twice, none may be missed (measureRelay throws), no send may go over a limit.
//   Discord: 5 per 5 s per channel, 50 per second overall.
//   WhatsApp: as the adapter declares it for WHATSAPP_SEND_INTERVAL=4s: one per
//     chat every 4 s, one overall every 2 s, plus up to 2 s of random extra
//     delay on purpose; allowed = the limit plus that delay's average.
//   Slack: 1 per second per channel, nothing overall: one message to each of
//     1,000 channels is not held back at all, so allowed = the same relay on a
//     platform with no limits, measured in the same run.
import { measureRelay, type RelayResult } from '../../test/helpers/relay-scenario.js';
import { result, type Bench, type Result } from './lib.js';

const GOAL = 0.9;

function check(r: RelayResult) {
  if (r.repeated || r.overLimit) throw new Error(`${r.platform}: ${r.repeated} chats got the minutes twice, ${r.overLimit} sends went over the limit`);
}

export const relay: Bench = async ({ quick }) => {
  const chats = quick ? 300 : 1000;
  const latencyMs = 100;
  const discord = await measureRelay('discord', chats, { latencyMs });
  const whatsapp = await measureRelay('whatsapp', quick ? 100 : chats, { latencyMs });
  const slack = await measureRelay('slack', chats, { latencyMs });
  const unlimited = await measureRelay('slack', chats, { latencyMs, limits: {} });
  for (const r of [discord, whatsapp, slack, unlimited]) check(r);

  const common = (r: RelayResult) => `${r.chats} chats, ${r.seconds.toFixed(1)} s of platform time (${(r.wallMs / 1000).toFixed(1)} s real), ${latencyMs} ms per send; each chat got the minutes once, no send over the limit`;
  // The allowed rate over the same sends: the achieved rate over the ratio (the shortest span the limits allow over the span taken).
  const row = (bench: string, r: RelayResult, ratio: number, note: string, limits: string, allowed = r.achievedPerSec / ratio): Result =>
    result({ bench, value: r.achievedPerSec, unit: 'messages/s', baseline: allowed, ratio, goal: `ratio >= ${GOAL}`, met: ratio >= GOAL, note: `${note}; ${common(r)}`, limits });
  return [
    row('relay_1000_discord', discord, discord.ratio!, 'baseline: the fastest 50 per second overall allows (5 per 5 s per channel)', 'the sender does not keep the overall limit busy'),
    row(
      'relay_1000_whatsapp',
      whatsapp,
      whatsapp.ratioWithJitter!,
      `baseline: one send every 2 s plus the adapter's deliberate random delay (1 s on average); against the bare limit the ratio is ${whatsapp.ratio!.toFixed(3)}`,
      'the sender leaves gaps beyond the limit and the random delay',
    ),
    row(
      'relay_1000_slack',
      slack,
      slack.achievedPerSec / unlimited.achievedPerSec,
      "baseline: the same relay to a platform with no limits (Slack's 1/s per channel holds back nothing when each channel gets one message); both bound by 8 sends in flight",
      "keeping Slack's per-channel limit slows a relay that it should not",
      unlimited.achievedPerSec,
    ),
  ];
};
