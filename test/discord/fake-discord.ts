// A fake Discord on loopback: the REST API (the routes the bot uses) and a
// gateway WebSocket that `GET /gateway/bot` points to. It speaks Discord's
// documented protocol, so real discord.js runs against it, and records every
// REST request for tests to assert on. Like Discord, it refuses an
// interaction callback that comes more than 3 seconds after the interaction.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Recorded {
  method: string;
  /** After `/api/v10`, decoded, e.g. `/webhooks/APP/TOKEN/messages/@original`. */
  path: string;
  query: URLSearchParams;
  body: any;
  auth?: string;
  /** The status the fake answered with. */
  status?: number;
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface FakeUser {
  id: string;
  username: string;
  global_name?: string | null;
}

export const ANA: FakeUser = { id: '2100000000000000001', username: 'ana', global_name: 'Ana' };
export const BEN: FakeUser = { id: '2100000000000000002', username: 'ben', global_name: 'Ben' };

export class FakeDiscord {
  readonly requests: Recorded[] = [];
  readonly appId = '1100000000000000001';
  readonly botId = '1100000000000000001';
  readonly guildId = '1200000000000000001';
  readonly channelId = '1300000000000000001';
  /** The IDENTIFY payload the bot sent (token, intents). */
  identify?: { token: string; intents: number };
  /** Added to the clock by the 3-second check: a test's slow command moves it forward. */
  skewMs = 0;
  api = '';
  private server!: Server;
  private wss!: WebSocketServer;
  private sockets = new Set<WebSocket>();
  private seq = 0;
  private nextId = 1n;
  private interactions = new Map<string, { token: string; at: number; acked: boolean; ephemeral: boolean; channelId: string; original?: string }>();
  readonly messages = new Map<string, any>();
  private failures: Failure[] = [];
  private delays: { method: string; path: RegExp; ms: number }[] = [];

  static async start(): Promise<FakeDiscord> {
    const fake = new FakeDiscord();
    fake.server = createServer((req, res) => void fake.onRequest(req, res));
    fake.wss = new WebSocketServer({ server: fake.server, path: '/gateway' });
    fake.wss.on('connection', (ws) => fake.onSocket(ws));
    fake.server.listen(0, '127.0.0.1');
    await once(fake.server, 'listening');
    fake.api = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}/api`;
    return fake;
  }

  async close() {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  id(): string {
    return String(1400000000000000000n + this.nextId++);
  }

  /** A fresh channel id in the guild (each test its own, so Discord's per-channel limits don't slow tests). */
  newChannel(): string {
    return String(1300000000000000000n + this.nextId++);
  }

  /** The next matching request answers with this error instead. */
  failNext(method: string, path: RegExp, status: number, body: unknown, headers?: Record<string, string>) {
    this.failures.push({ method, path, status, body, headers });
  }

  /** The next matching request is answered only after `ms` (Discord being slow). */
  delayNext(method: string, path: RegExp, ms: number) {
    this.delays.push({ method, path, ms });
  }

  /** Resolves with the first recorded request (from `from` on) that matches. */
  async waitFor(match: (r: Recorded) => boolean, from = 0, timeoutMs = 5000): Promise<Recorded> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.requests.slice(from).find(match);
      if (found) return found;
      if (Date.now() > end) {
        const seen = this.requests.map((r) => `${r.method} ${r.path}`).join('\n  ');
        throw new Error(`no matching request to the fake Discord within ${timeoutMs} ms; saw:\n  ${seen}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  // --- Gateway -------------------------------------------------------------

  /** Sends an event to the bot; returns the frame, which `replay` can send again. */
  dispatch(t: string, d: unknown): string {
    const frame = JSON.stringify({ op: 0, t, s: ++this.seq, d });
    this.replay(frame);
    return frame;
  }

  /** Sends a frame again, sequence number and all, as Discord does when a resumed session replays events. */
  replay(frame: string) {
    for (const ws of this.sockets) ws.send(frame);
  }

  /** While held, new gateway connections get no HELLO (a gateway that is down), until releaseGateway(). */
  private held: WebSocket[] | undefined;

  /** Discord drops the bot's gateway connections (close code 4000: resume), and holds new ones until releaseGateway(). */
  dropGateway() {
    this.held = [];
    for (const ws of this.sockets) ws.close(4000, 'fake outage');
  }

  releaseGateway() {
    const waiting = this.held ?? [];
    this.held = undefined;
    for (const ws of waiting) this.hello(ws);
  }

  private hello(ws: WebSocket) {
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
  }

  private onSocket(ws: WebSocket) {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    if (this.held) this.held.push(ws);
    else this.hello(ws);
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { op: number; d: any };
      if (msg.op === 1) ws.send(JSON.stringify({ op: 11 }));
      // RESUME after a dropped connection: the session carries on.
      if (msg.op === 6) ws.send(JSON.stringify({ op: 0, t: 'RESUMED', s: ++this.seq, d: {} }));
      if (msg.op === 2) {
        this.identify = msg.d;
        ws.send(
          JSON.stringify({
            op: 0,
            t: 'READY',
            s: ++this.seq,
            d: {
              v: 10,
              user: { id: this.botId, username: 'Collabot', discriminator: '0', global_name: null, avatar: null, bot: true },
              guilds: [{ id: this.guildId, unavailable: true }],
              session_id: 'fake-session',
              resume_gateway_url: this.api.replace(/^http/, 'ws').replace(/\/api$/, '/gateway'),
              shard: [0, 1],
              application: { id: this.appId, flags: 0 },
            },
          }),
        );
        ws.send(JSON.stringify({ op: 0, t: 'GUILD_CREATE', s: ++this.seq, d: this.guild() }));
      }
    });
  }

  private guild() {
    return {
      id: this.guildId,
      name: 'Food Network',
      icon: null,
      owner_id: ANA.id,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [{ id: this.guildId, name: '@everyone', color: 0, hoist: false, position: 0, permissions: '0', managed: false, mentionable: false, flags: 0 }],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      system_channel_flags: 0,
      premium_tier: 0,
      preferred_locale: 'en-GB',
      nsfw_level: 0,
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 3,
      members: [],
      voice_states: [],
      presences: [],
      threads: [],
      stage_instances: [],
      guild_scheduled_events: [],
      channels: [{ id: this.channelId, type: 0, guild_id: this.guildId, name: 'general', position: 0, permission_overwrites: [], parent_id: null, nsfw: false }],
    };
  }

  // --- Interactions, as Discord documents them ------------------------------

  /** A user runs a slash command (type 2, chat input) in the guild channel, or in a DM. */
  chatInput(name: string, options: unknown[] = [], o: { user?: FakeUser; dm?: boolean; resolved?: unknown; channel?: string; silent?: boolean } = {}) {
    return this.interaction(2, { id: this.id(), name, type: 1, options, ...(o.resolved ? { resolved: o.resolved } : {}) }, o);
  }

  /** A user presses a button on a message. */
  button(customId: string, messageId: string, o: { user?: FakeUser } = {}) {
    return this.interaction(3, { custom_id: customId, component_type: 2 }, { ...o, message: this.messages.get(messageId) });
  }

  /** A user picks options in a select menu. */
  select(customId: string, values: string[], messageId: string, o: { user?: FakeUser } = {}) {
    return this.interaction(3, { custom_id: customId, component_type: 3, values }, { ...o, message: this.messages.get(messageId) });
  }

  /** A user votes in (or takes a vote back from) a native poll. */
  pollVote(added: boolean, messageId: string, answerId: number, user: FakeUser = ANA) {
    const voters: Map<number, Set<string>> | undefined = this.messages.get(messageId)?.poll?.voters;
    if (voters) {
      const set = voters.get(answerId) ?? new Set<string>();
      if (added) set.add(user.id);
      else set.delete(user.id);
      voters.set(answerId, set);
    }
    return this.dispatch(added ? 'MESSAGE_POLL_VOTE_ADD' : 'MESSAGE_POLL_VOTE_REMOVE', {
      user_id: user.id,
      channel_id: this.messages.get(messageId)?.channel_id ?? this.channelId,
      message_id: messageId,
      guild_id: this.guildId,
      answer_id: answerId,
    });
  }

  /** A typed message in the guild channel (needs the Message Content intent there), or in the bot's DM. */
  message(content: string, o: { user?: FakeUser; mentions?: FakeUser[]; dm?: boolean } = {}) {
    const user = o.user ?? ANA;
    const id = this.id();
    const where = o.dm
      ? { channel_id: `dm-${user.id}`, channel_type: 1 }
      : { channel_id: this.channelId, channel_type: 0, guild_id: this.guildId, member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, nick: null } };
    this.dispatch('MESSAGE_CREATE', {
      id,
      ...where,
      author: userJSON(user),
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: (o.mentions ?? []).map(userJSON),
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: 0,
    });
    return id;
  }

  /** `silent`: Discord knows the interaction, but the bot is not told (to test the fake itself). */
  private interaction(type: number, data: unknown, o: { user?: FakeUser; dm?: boolean; message?: { channel_id: string }; channel?: string; silent?: boolean }) {
    const user = o.user ?? ANA;
    const id = this.id();
    const token = `token-${id}`;
    const channelId = o.dm ? `dm-${user.id}` : (o.channel ?? o.message?.channel_id ?? this.channelId);
    this.interactions.set(id, { token, at: Date.now() + this.skewMs, acked: false, ephemeral: false, channelId });
    const where = o.dm
      ? { channel_id: channelId, channel: { id: channelId, type: 1, recipients: [userJSON(user)] }, user: userJSON(user), context: 1 }
      : {
          guild_id: this.guildId,
          channel_id: channelId,
          channel: { id: channelId, type: 0, guild_id: this.guildId, name: channelId === this.channelId ? 'general' : `room-${channelId.slice(-4)}` },
          member: { user: userJSON(user), roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, nick: null, permissions: '2248473465835073' },
          guild_locale: 'en-GB',
          context: 0,
        };
    if (o.silent) return { id, token };
    this.dispatch('INTERACTION_CREATE', {
      id,
      application_id: this.appId,
      type,
      data,
      token,
      version: 1,
      app_permissions: '2248473465835073',
      locale: 'en-GB',
      entitlements: [],
      authorizing_integration_owners: { '0': this.guildId },
      ...where,
      ...(o.message ? { message: o.message } : {}),
    });
    return { id, token };
  }

  // --- REST ----------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse) {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v\d+/, ''));
    const method = req.method ?? 'GET';
    const rec: Recorded = { method, path, query: url.searchParams, body: raw ? JSON.parse(raw) : undefined, auth: req.headers.authorization };
    this.requests.push(rec);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      rec.status = status;
      res.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const delay = this.delays.findIndex((d) => d.method === method && d.path.test(path));
    if (delay >= 0) await new Promise((r) => setTimeout(r, this.delays.splice(delay, 1)[0]!.ms));
    const fail = this.failures.findIndex((f) => f.method === method && f.path.test(path));
    if (fail >= 0) {
      const f = this.failures.splice(fail, 1)[0]!;
      return send(f.status, f.body, f.headers);
    }
    const r = this.route(method, path, rec);
    if (!r) return send(404, { message: '404: Not Found', code: 0 });
    send(r[0], r[1]);
  }

  private route(method: string, path: string, rec: Recorded): [number, unknown?] | undefined {
    const m = (re: RegExp) => re.exec(path);
    let p: RegExpExecArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      const url = this.api.replace(/^http/, 'ws').replace(/\/api$/, '/gateway');
      return [200, { url, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } }];
    }
    if (method === 'GET' && path === '/applications/@me') return [200, { id: this.appId, name: 'Collabot' }];
    if (method === 'PUT' && m(/^\/applications\/\d+(\/guilds\/\d+)?\/commands$/)) {
      return [200, (rec.body as object[]).map((c) => ({ ...c, id: this.id(), application_id: this.appId, version: '1' }))];
    }
    if (method === 'POST' && (p = m(/^\/interactions\/(\d+)\/([^/]+)\/callback$/))) {
      const i = this.interactions.get(p[1]!);
      if (!i || i.token !== p[2] || Date.now() + this.skewMs - i.at > 3000) return [404, { message: 'Unknown interaction', code: 10062 }];
      if (i.acked) return [400, { message: 'Interaction has already been acknowledged.', code: 40060 }];
      i.acked = true;
      i.ephemeral = ((rec.body?.data?.flags ?? 0) & 64) !== 0;
      if (rec.body?.type === 4) i.original = this.store(i.channelId, rec.body.data, !i.ephemeral).id;
      return [204];
    }
    if ((p = m(/^\/webhooks\/(\d+)\/([^/]+)(\/messages\/@original)?$/))) {
      const i = [...this.interactions.values()].find((x) => x.token === p![2]);
      if (!i || !i.acked) return [404, { message: 'Unknown Webhook', code: 10015 }];
      if (p[3] && method === 'PATCH') {
        const msg = i.original ? this.update(i.original, rec.body) : this.store(i.channelId, rec.body, !i.ephemeral);
        i.original = msg.id;
        return [200, msg];
      }
      if (p[3] && method === 'DELETE') return [204];
      if (!p[3] && method === 'POST') return [200, this.store(i.channelId, rec.body, ((rec.body?.flags ?? 0) & 64) === 0)];
    }
    if (method === 'POST' && (p = m(/^\/channels\/([^/]+)\/messages$/))) {
      // enforce_nonce: a message the bot already created with this nonce is returned instead of a new one.
      const nonce = rec.body?.enforce_nonce ? rec.body.nonce : undefined;
      const earlier = nonce === undefined ? undefined : [...this.messages.values()].find((x) => x.nonce === nonce);
      return [200, earlier ?? this.store(p[1]!, rec.body, true)];
    }
    if ((p = m(/^\/channels\/([^/]+)\/messages\/(\d+)$/))) {
      const msg = this.messages.get(p[2]!);
      if (!msg || msg.channel_id !== p[1]) return [404, { message: 'Unknown Message', code: 10008 }];
      if (method === 'GET') return [200, msg];
      if (method === 'PATCH') return [200, this.update(p[2]!, rec.body)];
    }
    if (method === 'GET' && (p = m(/^\/channels\/([^/]+)\/polls\/(\d+)\/answers\/(\d+)$/))) {
      const msg = this.messages.get(p[2]!);
      if (!msg?.poll || msg.channel_id !== p[1]) return [404, { message: 'Unknown Message', code: 10008 }];
      // Voters by id, a page at a time (`after`, `limit` up to 100), as Discord lists them.
      const after = BigInt(rec.query.get('after') ?? '0');
      const limit = Math.min(100, Number(rec.query.get('limit') ?? 25));
      const ids = [...(msg.poll.voters.get(Number(p[3])) ?? [])].map(BigInt).filter((id) => id > after).sort((a, b) => (a < b ? -1 : 1));
      const users = ids.slice(0, limit).map((id) => userJSON([ANA, BEN].find((u) => u.id === String(id)) ?? { id: String(id), username: `user${id}` }));
      return [200, { users }];
    }
    if (method === 'POST' && (p = m(/^\/channels\/([^/]+)\/polls\/(\d+)\/expire$/))) {
      const msg = this.messages.get(p[2]!);
      if (!msg?.poll) return [404, { message: 'Unknown Message', code: 10008 }];
      msg.poll.expiry = new Date().toISOString();
      return [200, msg];
    }
    if (method === 'POST' && path === '/users/@me/channels') {
      const id = `dm-${rec.body.recipient_id}`;
      return [200, { id, type: 1, recipients: [{ id: rec.body.recipient_id, username: 'someone', discriminator: '0', avatar: null }] }];
    }
    if (method === 'GET' && (p = m(/^\/users\/(\d+)$/))) {
      const user = [ANA, BEN].find((u) => u.id === p![1]) ?? { id: p[1]!, username: `user${p[1]}` };
      return [200, userJSON(user)];
    }
    return undefined;
  }

  /** Store a message the way Discord returns it. */
  private store(channelId: string, body: any, keep: boolean) {
    const msg: any = {
      id: this.id(),
      channel_id: channelId,
      author: { id: this.botId, username: 'Collabot', discriminator: '0', global_name: null, avatar: null, bot: true },
      content: body?.content ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: body?.embeds ?? [],
      components: body?.components ?? [],
      pinned: false,
      type: 0,
      flags: body?.flags ?? 0,
      ...(body?.nonce !== undefined ? { nonce: body.nonce } : {}),
    };
    if (body?.poll) {
      msg.poll = {
        question: body.poll.question,
        answers: body.poll.answers.map((a: any, k: number) => ({ answer_id: k + 1, poll_media: a.poll_media })),
        expiry: new Date(Date.now() + (body.poll.duration ?? 24) * 3_600_000).toISOString(),
        allow_multiselect: !!body.poll.allow_multiselect,
        layout_type: 1,
      };
      // Who ticked each answer (kept out of the message's JSON, as Discord keeps it).
      Object.defineProperty(msg.poll, 'voters', { value: new Map<number, Set<string>>(), enumerable: false });
    }
    if (keep) this.messages.set(msg.id, msg);
    return msg;
  }

  private update(id: string, body: any) {
    const msg = this.messages.get(id) ?? { id };
    for (const k of ['content', 'embeds', 'components'] as const) if (body?.[k] !== undefined) msg[k] = body[k];
    msg.edited_timestamp = new Date().toISOString();
    return msg;
  }
}

export function userJSON(u: FakeUser) {
  return { id: u.id, username: u.username, discriminator: '0', global_name: u.global_name ?? null, avatar: null };
}
