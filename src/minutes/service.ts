// Delegates and their minutes: who represents the sector on which partnership
// body; minutes relayed to every chat that asked for them, on every platform;
// and the sector's comments routed back to the delegate.
//
// The relay is one outbox row per destination chat, written in the same
// transaction as the minutes, with the key minutes:N:<platform>:<chat>, so a
// chat gets each set of minutes at most once. The senders pace them to each
// platform's limits and retry; a chat that still did not get them after the
// last attempt is reported to the delegate, once every chat has had its tries
// (or a day after posting, for chats whose platform stays disconnected).
import { quoted } from '../text/quote.js';
import type { Clock } from '../clock.js';
import type { ChatRow, RoleRow } from '../collabs/repo.js';
import type { RolesService } from '../collabs/roles.js';
import { chatDestination, type CollabsService } from '../collabs/service.js';
import { UserError } from '../errors.js';
import type { Outbox } from '../outbox/outbox.js';
import type { PeopleService } from '../people/service.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { DB } from '../storage/db.js';
import { plural } from '../text/format.js';
import { MinutesRepo, type CommentRow, type MinutesSummary } from './repo.js';

export const LIMITS = { body: 100, meeting: 200, text: 40_000, comment: 2_000 };
const EXAMPLE = '/minutes "CPP board, 3 December" Budget consultation opens in January.';

const REPORT_KIND = 'minutes.report-undelivered';
/** Failures are reported a minute after the last one, so one message covers them all. */
const REPORT_DELAY_MS = 60_000;
/** Chats still waiting after this long (their platform is not connected) are reported too. */
const REPORT_GIVE_UP_MS = 24 * 3_600_000;
/** One pending report job per minutes: a failure brings it forward, a wait pushes it back. */
const reportKey = (minutesId: number) => `minutes:${minutesId}:undelivered`;

export interface MinutesDeps {
  db: DB;
  clock: Clock;
  outbox: Outbox;
  scheduler: Scheduler;
  people: PeopleService;
  collabs: CollabsService;
  roles: RolesService;
}

export interface DelegateEntry {
  body: string | null;
  names: string[];
  latest?: { id: number; created_at: number };
}

export class MinutesService {
  private readonly repo: MinutesRepo;

  constructor(private d: MinutesDeps) {
    this.repo = new MinutesRepo(d.db);
    d.scheduler.register<{ minutesId: number }>(REPORT_KIND, (job) => this.reportUndelivered(job.payload.minutesId));
    d.outbox.onFailure((row) => {
      const m = /^minutes:(\d+)$/.exec(row.origin ?? '');
      const minutesId = Number(m?.[1]);
      if (m) d.scheduler.schedule(REPORT_KIND, d.clock.now() + REPORT_DELAY_MS, { minutesId }, reportKey(minutesId));
    });
  }

  /** Two accounts became one person (/link): their records move to the one kept. */
  mergePerson(from: number, to: number) {
    this.repo.mergePerson(from, to);
  }

  // --- Delegates -----------------------------------------------------------

  private delegateRole(personId: number): RoleRow | undefined {
    return this.d.collabs.rolesOf(personId).find((r) => r.role === 'delegate');
  }

  /** The body a delegate sits on; null if none is recorded; undefined if not a delegate. */
  bodyOf(personId: number): string | null | undefined {
    const role = this.delegateRole(personId);
    return role ? role.detail : undefined;
  }

  /** Make someone the delegate to a body (or move them to another). Returns the body they had before. */
  addDelegate(actor: number, target: number, body: string, now: number): { body: string; previous: string | null | undefined } {
    const name = cleanBody(body);
    // One spelling per body, so "/delegates" groups people who sit on the same one.
    const known = this.delegates().find((e) => e.body?.toLowerCase() === name.toLowerCase())?.body;
    const canonical = known ?? name;
    const previous = this.bodyOf(target);
    if (previous === canonical) return { body: canonical, previous };
    if (previous !== undefined) this.d.roles.revoke(actor, target, 'delegate', null);
    this.d.roles.grant(actor, target, 'delegate', null, now, canonical);
    return { body: canonical, previous };
  }

  /** Take the delegate role away; returns the body they sat on. */
  removeDelegate(actor: number, target: number): string | null {
    const previous = this.bodyOf(target);
    if (previous === undefined) {
      throw new UserError(`${this.d.people.name(target)} is not a delegate, so nothing changed. Type /delegates to see who is.`);
    }
    this.d.roles.revoke(actor, target, 'delegate', null);
    return previous;
  }

  /** Who represents the sector where: one entry per body, with its latest minutes. */
  delegates(): DelegateEntry[] {
    const latest = new Map(this.repo.latestByBody().map((l) => [l.body.toLowerCase(), l]));
    const byBody = new Map<string, DelegateEntry>();
    for (const r of this.d.roles.list()) {
      if (r.role !== 'delegate') continue;
      const key = r.detail?.toLowerCase() ?? '';
      let e = byBody.get(key);
      if (!e) byBody.set(key, (e = { body: r.detail, names: [], latest: r.detail ? latest.get(key) : undefined }));
      e.names.push(r.name);
    }
    return [...byBody.values()].sort((a, b) => (a.body === null ? 1 : b.body === null ? -1 : a.body.localeCompare(b.body)));
  }

  // --- Minutes -------------------------------------------------------------

  /** The body a person posts minutes for, or a friendly error if they may not post. */
  requirePoster(personId: number): string {
    const body = this.bodyOf(personId);
    if (body === undefined) {
      throw new UserError('Only a delegate can post minutes. A lead can make someone a delegate, e.g. /delegate add @dee Community Planning Partnership\nType /minutes to read the latest minutes.');
    }
    if (body === null) {
      throw new UserError(
        `You are a delegate, but I don't know which partnership body you sit on. A lead can record it, e.g. /delegate add @${this.d.people.name(personId)} Community Planning Partnership`,
      );
    }
    return body;
  }

  /** Record minutes for the delegate's body and relay them to every subscribed chat, in this transaction. */
  post(delegateId: number, platform: string, chat: ChatRow, meeting: string, text: string): { minutes: MinutesSummary; sentTo: ChatRow[] } {
    const body = this.requirePoster(delegateId);
    meeting = meeting.trim();
    text = text.trim();
    if (meeting.length < 2 || meeting.length > LIMITS.meeting) {
      throw new UserError(`The meeting title needs 2 to ${LIMITS.meeting} characters, in double quotes.\nFor example: ${EXAMPLE}`);
    }
    if (!text) throw new UserError(`Write the minutes after the meeting title.\nFor example: ${EXAMPLE}`);
    if (text.length > LIMITS.text) {
      throw new UserError(`These minutes are ${text.length.toLocaleString('en-GB')} characters; the most I take is ${LIMITS.text.toLocaleString('en-GB')}. Please shorten them or post them in two parts.`);
    }
    const now = this.d.clock.now();
    const id = this.repo.insert(body, meeting, text, delegateId, platform, chat.id, now);
    const minutes = this.repo.get(id)!;
    const message = { text: relayText(minutes) };
    const sentTo: ChatRow[] = [];
    for (const c of this.d.collabs.subscribers('minutes')) {
      if (c.is_direct) continue;
      this.repo.addRelay(id, c.id);
      this.d.outbox.enqueue(chatDestination(c), message, { idemKey: `minutes:${id}:${c.platform}:${c.chat_id}`, origin: `minutes:${id}` });
      sentTo.push(c);
    }
    // Chats that never fail but never get them either (their platform stays disconnected) are reported after a day.
    if (sentTo.length) this.d.scheduler.schedule(REPORT_KIND, now + REPORT_GIVE_UP_MS, { minutesId: id }, reportKey(id));
    return { minutes: { ...minutes, relays: sentTo.length }, sentTo };
  }

  recent(limit = 10) {
    return this.repo.recent(limit);
  }

  /** Minutes #n, or a friendly error saying which exist. */
  get(n: number): MinutesSummary {
    const m = this.repo.get(n);
    if (m) return m;
    const latest = this.repo.recent(1)[0];
    throw new UserError(
      latest
        ? `There are no minutes #${n}. The latest are #${latest.id} (${latest.meeting}). Type /minutes to see recent ones.`
        : 'No minutes have been posted yet. Delegates post them with /minutes "<meeting title>" <text>.',
    );
  }

  // --- Comments ------------------------------------------------------------

  /** Store a comment from a chat that receives minutes, and forward it to the delegate. */
  comment(personId: number, chat: ChatRow, n: number, text: string): { minutes: MinutesSummary; delegate: string } {
    const minutes = this.get(n);
    text = text.trim();
    const example = `/comment ${n} Please raise the cuts to the 79 bus`;
    if (chat.is_direct) {
      throw new UserError(`Comments are made in a chat that receives minutes, so the others there see them too. Type it in your collab's chat, e.g. ${example}`);
    }
    if (!this.d.collabs.topicsOf(chat.id).includes('minutes') && !this.repo.wasRelayedTo(minutes.id, chat.id)) {
      throw new UserError(`This chat does not receive minutes, so comments on them are not collected here. A facilitator can type /subscribe minutes, then you can type ${example}`);
    }
    if (!text) throw new UserError(`Write your comment after the number, e.g. ${example}`);
    if (text.length > LIMITS.comment) {
      throw new UserError(`That comment is ${text.length.toLocaleString('en-GB')} characters; please keep it under ${LIMITS.comment.toLocaleString('en-GB')}, or send it in parts.`);
    }
    const id = this.repo.addComment(minutes.id, personId, chat.id, text, this.d.clock.now());
    const delegate = this.d.people.name(minutes.delegate_id);
    if (personId !== minutes.delegate_id) {
      const to = this.d.people.directTo(minutes.delegate_id, minutes.platform);
      const from = `${this.d.people.name(personId)} in ${this.chatLabel(chat)}`;
      const dm =
        `Comment on minutes #${minutes.id} (${minutes.meeting}) from ${from}:\n${quoted(text)}\n\n` +
        `All comments: /minutes comments ${minutes.id} · a summary by chat: /minutes digest ${minutes.id}`;
      if (to) this.d.outbox.enqueue(to, { text: dm }, { idemKey: `minutes:${minutes.id}:comment:${id}`, origin: `minutes:${minutes.id}:comment` });
    }
    return { minutes, delegate };
  }

  /** The comments on minutes #n, for the delegate who posted them, another delegate to the body, a lead or an admin. */
  comments(viewer: number, n: number): { minutes: MinutesSummary; comments: CommentRow[] } {
    const minutes = this.get(n);
    const sameBody = this.bodyOf(viewer)?.toLowerCase() === minutes.body.toLowerCase();
    if (viewer !== minutes.delegate_id && !sameBody && !this.d.roles.hasAny(viewer, ['lead'], null)) {
      throw new UserError(
        `Only ${minutes.delegate} (who posted minutes #${minutes.id}), another delegate to ${minutes.body}, a lead or an admin can see the comments on them. Anyone can read the minutes: /minutes show ${minutes.id}`,
      );
    }
    return { minutes, comments: this.repo.comments(minutes.id) };
  }

  /** One summary of the comments so far, grouped by chat, with the chats that have not commented. */
  digest(viewer: number, n: number): string {
    const { minutes, comments } = this.comments(viewer, n);
    const groups = new Map<number, CommentRow[]>();
    for (const c of comments) groups.set(c.chat_id, [...(groups.get(c.chat_id) ?? []), c]);
    const people = new Set(comments.map((c) => c.person_id)).size;
    const lines = [
      `Digest of comments on minutes #${minutes.id}: ${minutes.meeting} (${minutes.body})`,
      comments.length
        ? `${plural(comments.length, 'comment')} from ${plural(people, 'person', 'people')} in ${plural(groups.size, 'chat')}` +
          (minutes.relays ? `, of the ${plural(minutes.relays, 'chat')} that received the minutes.` : '.')
        : 'No comments yet.',
    ];
    for (const group of groups.values()) {
      const chat = this.d.collabs.chat(group[0]!.chat_id)!;
      lines.push('', `${this.chatLabel(chat)}: ${plural(group.length, 'comment')}`);
      for (const c of group) lines.push(`• ${c.author}: ${short(c.text, 200)}`);
    }
    const quiet = this.repo.relayChats(minutes.id).filter((c) => !groups.has(c.id));
    if (quiet.length && comments.length) {
      const names = quiet.slice(0, 20).map((c) => this.chatLabel(c));
      lines.push('', `No comments yet from: ${names.join(', ')}${quiet.length > 20 ? ` and ${quiet.length - 20} more` : ''}.`);
    }
    return lines.join('\n');
  }

  // --- Reporting failed deliveries ------------------------------------------

  /** Tell the delegate which chats did not get the minutes, once every chat has had its tries. */
  private reportUndelivered(minutesId: number) {
    const minutes = this.repo.get(minutesId);
    if (!minutes) return;
    const now = this.d.clock.now();
    const rows = this.d.outbox.repo.byOrigin(`minutes:${minutesId}`);
    const waiting = rows.filter((r) => r.status === 'pending');
    const givingUp = now - minutes.created_at >= REPORT_GIVE_UP_MS;
    if (waiting.length && !givingUp) {
      this.d.scheduler.schedule(REPORT_KIND, now + 5 * REPORT_DELAY_MS, { minutesId }, reportKey(minutesId));
      return;
    }
    const missed = new Map<string, string>();
    for (const r of rows) {
      if (r.status === 'sent' || missed.has(r.platform + r.dest)) continue;
      const chatId = r.dest.slice(2);
      const chat = this.d.collabs.chatOn(r.platform, chatId);
      missed.set(r.platform + r.dest, chat ? this.chatLabel(chat) : `${chatId} (${r.platform})`);
    }
    if (!missed.size) return;
    const to = this.d.people.directTo(minutes.delegate_id, minutes.platform);
    if (!to) return;
    const text =
      `Your minutes #${minutes.id} (${minutes.meeting}) did not reach ${missed.size} of the ${plural(minutes.relays, 'chat')} they were sent to, ` +
      `even after several tries: ${[...missed.values()].join(', ')}.\n` +
      `You may want to share them there another way, or ask an admin to check that I am still in ${missed.size === 1 ? 'that chat' : 'those chats'}.`;
    this.d.outbox.enqueue(to, { text }, { idemKey: `minutes:${minutes.id}:undelivered:${missed.size}`, origin: `minutes:${minutes.id}:report` });
  }

  // --- Helpers ---------------------------------------------------------------

  /** `forum (Forum Collab, slack)`: the chat, its collab when named differently, and the platform. */
  chatLabel(chat: Pick<ChatRow, 'name' | 'platform' | 'collab_id'>): string {
    const collab = chat.collab_id ? this.d.collabs.collab(chat.collab_id)?.name : undefined;
    const extra = collab && collab.toLowerCase() !== chat.name.toLowerCase() ? `${collab}, ` : '';
    return `${chat.name} (${extra}${chat.platform})`;
  }
}

/** The relayed message: headed with the body, meeting, delegate and how to reply. */
export function relayText(m: Pick<MinutesSummary, 'id' | 'body' | 'meeting' | 'delegate' | 'text'>): string {
  return [
    `Minutes #${m.id}: ${m.body}`,
    `Meeting: ${m.meeting}`,
    `Delegate: ${m.delegate}. To send ${m.delegate} a comment, type /comment ${m.id} followed by your comment.`,
    '',
    quoted(m.text),
  ].join('\n');
}

function cleanBody(body: string): string {
  const name = body.trim().replace(/^["“”]|["“”]$/g, '').replace(/\s+/g, ' ').trim();
  if (name.length < 2 || name.length > LIMITS.body) {
    throw new UserError(`Name the partnership body in 2 to ${LIMITS.body} characters, e.g. /delegate add @dee Community Planning Partnership`);
  }
  return name;
}

function short(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? flat.slice(0, max - 1).replace(/\s+\S*$/, '') + '…' : flat;
}
