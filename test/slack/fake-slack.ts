// A fake Slack on loopback, speaking Slack's protocol: the Web API methods the
// adapter calls (with Slack's documented response shapes and errors), the Socket
// Mode WebSocket, and signed HTTP requests built from Slack's documented payloads.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export const TEAM = { id: 'T0COLLECT', domain: 'collective' };
export const BOT = { userId: 'U0BOT', botId: 'B0BOT', appId: 'A0COLLAB' };

export interface Call {
  method: string;
  args: Record<string, any>;
  /** The token the call was made with (Authorization header). */
  token?: string;
  /** What the fake answered. */
  reply?: Record<string, any>;
}

interface CannedReply {
  status?: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
}

interface FakeUser {
  id: string;
  name: string;
  real_name: string;
  display_name: string;
  is_bot?: boolean;
}

export interface FakeSlackOptions {
  botToken: string;
  appToken?: string;
}

export async function startFakeSlack(opts: FakeSlackOptions) {
  const calls: Call[] = [];
  const canned = new Map<string, CannedReply[]>();
  const users = new Map<string, FakeUser>();
  const channels = new Map<string, { id: string; name: string; is_private?: boolean }>();
  const messages = new Map<string, { text: string; blocks?: unknown }>();
  let seq = 0;
  const nextTs = () => `${1_700_000_000 + ++seq}.${String(seq).padStart(6, '0')}`;
  const waiters = new Set<() => void>();

  const addUser = (id: string, display: string, real = display, extra: Partial<FakeUser> = {}) =>
    users.set(id, { id, name: display.toLowerCase().replace(/\s+/g, '.'), real_name: real, display_name: display, ...extra });
  const addChannel = (id: string, name: string, isPrivate = false) => channels.set(id, { id, name, is_private: isPrivate });
  addUser(BOT.userId, 'Collabot', 'Collabot', { is_bot: true });

  const ok = (extra: Record<string, unknown>) => ({ ok: true, ...extra });
  const fail = (error: string) => ({ ok: false, error });
  const isDm = (id: string) => id.startsWith('D');

  function channelInfo(id: string) {
    if (isDm(id)) {
      return { id, created: 1_700_000_000, is_im: true, is_org_shared: false, user: 'U' + id.slice(1), is_user_deleted: false, priority: 0 };
    }
    const c = channels.get(id)!;
    return {
      id,
      name: c.name,
      is_channel: !c.is_private,
      is_group: !!c.is_private,
      is_im: false,
      is_mpim: false,
      is_private: !!c.is_private,
      created: 1_700_000_000,
      is_archived: false,
      is_general: c.name === 'general',
      name_normalized: c.name,
      is_shared: false,
      is_member: true,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
    };
  }

  function userInfo(u: FakeUser) {
    return {
      id: u.id,
      team_id: TEAM.id,
      name: u.name,
      deleted: false,
      real_name: u.real_name,
      tz: 'Europe/London',
      tz_label: 'Greenwich Mean Time',
      tz_offset: 0,
      is_admin: false,
      is_owner: false,
      is_bot: !!u.is_bot,
      is_app_user: false,
      updated: 1_700_000_000,
      profile: { real_name: u.real_name, display_name: u.display_name, real_name_normalized: u.real_name, display_name_normalized: u.display_name, team: TEAM.id },
    };
  }

  function answer(method: string, a: Record<string, any>, token?: string): CannedReply {
    const wanted = method === 'apps.connections.open' ? opts.appToken : opts.botToken;
    if (!token) return { body: fail('not_authed') };
    if (token !== wanted) return { body: fail('invalid_auth') };
    const channelKnown = (id: string) => isDm(id) || channels.has(id);
    switch (method) {
      case 'auth.test':
        return { body: ok({ url: `https://${TEAM.domain}.slack.com/`, team: 'The Collective', user: 'collabot', team_id: TEAM.id, user_id: BOT.userId, bot_id: BOT.botId, is_enterprise_install: false }) };
      case 'apps.connections.open':
        return { body: ok({ url: `ws://127.0.0.1:${port}/link/?ticket=${++seq}&app_id=${BOT.appId}` }) };
      case 'users.info': {
        const u = users.get(a.user);
        return { body: u ? ok({ user: userInfo(u) }) : fail('user_not_found') };
      }
      case 'conversations.info':
        return { body: channelKnown(a.channel) ? ok({ channel: channelInfo(a.channel) }) : fail('channel_not_found') };
      case 'conversations.open': {
        const u = users.get(a.users);
        return { body: u ? ok({ no_op: false, already_open: false, channel: { id: 'D' + u.id.slice(1) } }) : fail('user_not_found') };
      }
      case 'chat.postMessage': {
        if (!channelKnown(a.channel)) return { body: fail('channel_not_found') };
        if (!a.text && !a.blocks) return { body: fail('no_text') };
        const ts = nextTs();
        messages.set(`${a.channel}:${ts}`, { text: a.text, blocks: a.blocks });
        const message = { type: 'message', subtype: 'bot_message', text: a.text, ts, username: 'Collabot', bot_id: BOT.botId, app_id: BOT.appId, user: BOT.userId, team: TEAM.id, ...(a.blocks ? { blocks: a.blocks } : {}), ...(a.thread_ts ? { thread_ts: a.thread_ts } : {}) };
        return { body: ok({ channel: a.channel, ts, message }) };
      }
      case 'chat.update': {
        const key = `${a.channel}:${a.ts}`;
        if (!messages.has(key)) return { body: fail('message_not_found') };
        messages.set(key, { text: a.text, blocks: a.blocks });
        return { body: ok({ channel: a.channel, ts: a.ts, text: a.text, message: { text: a.text, user: BOT.userId, bot_id: BOT.botId, ...(a.blocks ? { blocks: a.blocks } : {}) } }) };
      }
      case 'chat.postEphemeral':
        if (!channelKnown(a.channel)) return { body: fail('channel_not_found') };
        if (!users.has(a.user)) return { body: fail('user_not_in_channel') };
        return { body: ok({ message_ts: nextTs() }) };
      default:
        return { body: fail('unknown_method') };
    }
  }

  const server: Server = createServer(async (req, res) => {
    // A response_url whose server takes the request and never answers.
    if (req.url?.startsWith('/respond-never/')) return;
    if (req.url?.startsWith('/respond/') && req.method === 'POST') {
      // A slash command's response_url (Slack's hooks.slack.com/commands/...).
      calls.push({ method: 'response_url', args: JSON.parse(await readBody(req)) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      for (const w of [...waiters]) w();
      return;
    }
    const method = /^\/api\/([\w.]+)/.exec(req.url ?? '')?.[1];
    if (!method || req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    const args = parseBody(await readBody(req), req.headers['content-type'] ?? '');
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? args.token;
    delete args.token;
    const reply = canned.get(method)?.shift() ?? answer(method, args, token);
    calls.push({ method, args, token, reply: reply.body });
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
    res.end(JSON.stringify(reply.body));
    for (const w of [...waiters]) w();
  });

  // Socket Mode: Slack's side of the WebSocket that apps.connections.open hands out.
  const wss = new WebSocketServer({ noServer: true });
  const sockets: WebSocket[] = [];
  const acks: { envelope_id: string; payload?: unknown }[] = [];
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/link/')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.push(ws);
      ws.on('message', (data) => {
        acks.push(JSON.parse(String(data)));
        for (const w of [...waiters]) w();
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 }, connection_info: { app_id: BOT.appId } }));
      for (const w of [...waiters]) w();
    });
  });

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  /** Resolves once `check` returns something, re-checked after every call Slack receives. */
  function until<T>(check: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const tryNow = () => {
        const v = check();
        if (v) {
          waiters.delete(tryNow);
          clearTimeout(timer);
          resolve(v);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        waiters.delete(tryNow);
        reject(new Error(`timed out waiting for ${what}; Slack received: ${calls.map((c) => c.method).join(', ')}`));
      }, timeoutMs);
      if (!tryNow()) waiters.add(tryNow);
    });
  }

  return {
    url: `http://127.0.0.1:${port}/api/`,
    /** Where slash commands' response_url points. */
    responseUrl: `http://127.0.0.1:${port}/respond/T0COLLECT/1234/abcd`,
    /** A response_url that never answers. */
    silentResponseUrl: `http://127.0.0.1:${port}/respond-never/T0COLLECT/1234/abcd`,
    calls,
    acks,
    sockets,
    addUser,
    addChannel,
    messages,
    /** Calls of one method (optionally only those matching). */
    received(method: string, match: (args: Record<string, any>) => boolean = () => true) {
      return calls.filter((c) => c.method === method && match(c.args));
    },
    /** Wait for the `n`th call of `method` that matches. */
    waitFor(method: string, match: (args: Record<string, any>) => boolean = () => true, n = 1) {
      return until(() => calls.filter((c) => c.method === method && match(c.args))[n - 1], method);
    },
    until,
    /** Answer the next call of `method` with this instead. */
    failNext(method: string, reply: CannedReply) {
      canned.set(method, [...(canned.get(method) ?? []), reply]);
    },
    /** Socket Mode: deliver an envelope on the newest connection. */
    sendEnvelope(envelope: Record<string, unknown>) {
      sockets.at(-1)!.send(JSON.stringify(envelope));
    },
    async close() {
      for (const s of sockets) s.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (s += d));
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });
}

/** The Web API takes form-encoded bodies (objects JSON-encoded inside) or JSON. */
function parseBody(raw: string, type: string): Record<string, any> {
  if (type.includes('application/json')) return raw ? JSON.parse(raw) : {};
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string) {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

// ------------------------------------------------------ Slack's requests to us

/** Slack's request signature: v0= HMAC-SHA256 of `v0:timestamp:body` with the signing secret. */
export function sign(secret: string, timestamp: number, body: string): string {
  return 'v0=' + createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
}

export interface Delivery {
  /** e.g. `{ 'x-slack-retry-num': '1' }` */
  headers?: Record<string, string>;
  /** Sign with this secret instead (a forged request). */
  secret?: string;
  timestamp?: number;
}

/** POST a signed request to the bot's /slack/events, as Slack does. */
export async function deliver(url: string, secret: string, body: { form?: Record<string, string>; json?: unknown }, d: Delivery = {}) {
  const raw = body.form ? new URLSearchParams(body.form).toString() : JSON.stringify(body.json);
  const timestamp = d.timestamp ?? Math.floor(Date.now() / 1000);
  const started = Date.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': body.form ? 'application/x-www-form-urlencoded' : 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(d.secret ?? secret, timestamp, raw),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...d.headers,
    },
    body: raw,
  });
  return { status: res.status, text: await res.text(), ms: Date.now() - started };
}

let triggers = 0;
const triggerId = () => `${++triggers}${Date.now()}.1111.${Math.random().toString(16).slice(2, 10)}`;

/** A slash command as Slack posts it (form-encoded). */
export function slashCommand(o: { command: string; text: string; user: string; userName?: string; channel: string; channelName?: string; responseUrl?: string }) {
  return {
    form: {
      token: 'gIkuvaNzQIHg97ATvDxqgjtO',
      team_id: TEAM.id,
      team_domain: TEAM.domain,
      channel_id: o.channel,
      channel_name: o.channelName ?? (o.channel.startsWith('D') ? 'directmessage' : 'general'),
      user_id: o.user,
      user_name: o.userName ?? o.user.toLowerCase(),
      command: o.command,
      text: o.text,
      api_app_id: BOT.appId,
      is_enterprise_install: 'false',
      // Loopback only: the discard port refuses, unless a test points it at the fake.
      response_url: o.responseUrl ?? `http://127.0.0.1:9/commands/${TEAM.id}/1234/abcd`,
      trigger_id: triggerId(),
    },
  };
}

/** A click on a button of one of the bot's messages (`block_actions`, form-encoded `payload`). */
export function buttonClick(o: { user: string; channel: string; messageTs: string; value: string; actionId: string; blockId: string }) {
  return blockActions(o, { action_id: o.actionId, block_id: o.blockId, text: { type: 'plain_text', text: 'Vote', emoji: true }, value: o.value, type: 'button', action_ts: `${Date.now() / 1000}` });
}

/** A change of the options picked in a multi-select menu of one of the bot's messages. */
export function menuSelect(o: { user: string; channel: string; messageTs: string; actionId: string; blockId: string; values: string[] }) {
  return blockActions(o, {
    type: 'multi_static_select',
    action_id: o.actionId,
    block_id: o.blockId,
    selected_options: o.values.map((value) => ({ text: { type: 'plain_text', text: value, emoji: true }, value })),
    placeholder: { type: 'plain_text', text: 'Choose', emoji: true },
    action_ts: `${Date.now() / 1000}`,
  });
}

function blockActions(o: { user: string; channel: string; messageTs: string }, action: Record<string, unknown>) {
  const payload = {
    type: 'block_actions',
    user: { id: o.user, username: o.user.toLowerCase(), name: o.user.toLowerCase(), team_id: TEAM.id },
    api_app_id: BOT.appId,
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    container: { type: 'message', message_ts: o.messageTs, channel_id: o.channel, is_ephemeral: false },
    trigger_id: triggerId(),
    team: { id: TEAM.id, domain: TEAM.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: o.channel, name: 'general' },
    message: { type: 'message', subtype: 'bot_message', text: 'poll', ts: o.messageTs, bot_id: BOT.botId },
    state: { values: {} },
    response_url: `http://127.0.0.1:9/actions/${TEAM.id}/1234/abcd`,
    actions: [action],
  };
  return { form: { payload: JSON.stringify(payload) } };
}

let events = 0;

/** An Events API `event_callback` wrapping one event. */
export function eventCallback(event: Record<string, unknown>, eventId = `Ev0${++events}${Date.now()}`) {
  return {
    json: {
      token: 'gIkuvaNzQIHg97ATvDxqgjtO',
      team_id: TEAM.id,
      api_app_id: BOT.appId,
      event,
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: TEAM.id, user_id: BOT.userId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
      event_context: `4-eyJldCI6ImFwcF9tZW50aW9uIn0`,
    },
  };
}

let msgSeq = 0;
export const messageTs = () => `${1_700_100_000 + ++msgSeq}.${String(msgSeq).padStart(6, '0')}`;

/** `@Collabot ...` in a channel. */
export function appMention(o: { user: string; channel: string; text: string; ts?: string; threadTs?: string }) {
  const ts = o.ts ?? messageTs();
  return eventCallback({
    type: 'app_mention',
    user: o.user,
    text: o.text,
    ts,
    ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
    channel: o.channel,
    event_ts: ts,
    client_msg_id: `c0ffee00-${msgSeq}`,
    team: TEAM.id,
  });
}

/** A direct message to the bot (`message.im`). */
export function directMessage(o: { user: string; channel: string; text: string }) {
  const ts = messageTs();
  return eventCallback({ type: 'message', channel: o.channel, user: o.user, text: o.text, ts, event_ts: ts, channel_type: 'im', client_msg_id: `c0ffee01-${msgSeq}`, team: TEAM.id });
}
