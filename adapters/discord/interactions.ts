// Discord interactions (slash commands, buttons, menus) and their pending
// tokens. Discord shows "This interaction failed" unless it hears back within
// 3 seconds, so every interaction is deferred before the core sees it; the
// core's reply (whose replyTo is the interaction id) then edits the deferred
// response. Pending interactions are kept for 13 minutes (their token lasts
// 15) and a deferral nobody answered is removed then.
import { DiscordAPIError, Routes, type Client, type Interaction } from 'discord.js';
import type { Logger } from '../../src/logger.js';
import type { Destination, InboundEvent, InboundSink, Mention, OutMessage, SentRef } from '../../src/model.js';
import { chatName } from './chat-name.js';
import { DiscordInputError, type DiscordCommandSet, type ResolvedUsers } from './commands.js';
import { componentText, type MessageBody } from './render.js';

export const EPHEMERAL = 64;
export const SORRY = 'Sorry, something went wrong on my side. Please try again.';
const DEFERRED_REPLY = 5;
/** An interaction token lasts 15 minutes; answer or tidy up before then. */
const PENDING_MS = 13 * 60_000;

export interface Pending {
  id: string;
  token: string;
  applicationId: string;
  /** Button and menu presses are answered privately to the person who pressed. */
  ephemeral: boolean;
  /** Set when the interaction happened in the bot's DM with this user. */
  dmUserId?: string;
  /** Resolves to whether Discord accepted the deferral. */
  deferred: Promise<boolean>;
  answered: boolean;
  expiresAt: number;
}

/** How the adapter posts to a channel and notes a native poll it posted. */
export interface Outward {
  post(channelId: string, body: MessageBody, deliveryId?: string): Promise<{ id: string }>;
  remember(messageId: string, message: OutMessage): void;
}

export interface InteractionsDeps {
  rest: Client['rest'];
  commandSet: DiscordCommandSet;
  log: Logger;
  now: () => number;
}

export class Interactions {
  private readonly pending = new Map<string, Pending>();

  constructor(private d: InteractionsDeps) {}

  /** Is this message id a pending interaction (not a message one could reply to)? */
  has(id: string): boolean {
    return this.pending.has(id);
  }

  /** An interaction: deferred at once, then handed to the core as a command line. */
  async handle(i: Interaction, sink: InboundSink) {
    if (!i.isChatInputCommand() && !i.isButton() && !i.isStringSelectMenu()) return;
    let text: string | undefined;
    let mentions: Mention[] = [];
    // Presses on buttons and menus are answered privately to whoever pressed.
    let ephemeral = !i.isChatInputCommand();
    let refusal: string | undefined;
    try {
      if (i.isChatInputCommand()) ({ text, mentions } = this.d.commandSet.toText({ name: i.commandName, options: i.options.data }, usersOf(i.options.data)));
      else if ((text = componentText(i.customId, i.isStringSelectMenu() ? i.values : [])) === undefined) return;
    } catch (err) {
      if (!(err instanceof DiscordInputError)) this.d.log.error({ err, interaction: i.id }, 'could not read the interaction');
      refusal = err instanceof DiscordInputError ? err.message : SORRY;
      ephemeral = true;
    }

    // Acknowledge first: however long the command takes, Discord has its answer in time.
    // If Discord would not take the acknowledgement, it has told the person the
    // interaction failed, so the command is not run either.
    const pending = this.defer(i, ephemeral);
    if (!(await pending.deferred)) return;
    if (refusal) return void (await this.answer(pending, { content: refusal, allowed_mentions: { parse: [] } }));
    const member = i.member && 'displayName' in i.member ? i.member.displayName : undefined;
    const event: InboundEvent = {
      kind: i.isChatInputCommand() ? 'message' : 'action',
      platform: 'discord',
      eventId: `interaction:${i.id}`,
      chat: { id: i.channelId!, name: chatName(i.channel, i.guild?.name, i.user.username), isDirect: !i.inGuild() },
      author: { id: i.user.id, displayName: member ?? i.user.displayName, isBot: i.user.bot },
      time: i.createdAt,
      mentions,
      messageId: i.id,
      text: text!,
    };
    try {
      await sink(event);
    } catch (err) {
      this.d.log.error({ err, interaction: i.id }, 'interaction failed');
      await this.answer(pending, { content: SORRY, allowed_mentions: { parse: [] } });
    }
  }

  private defer(i: Interaction & { token: string }, ephemeral: boolean): Pending {
    const body = { type: DEFERRED_REPLY, ...(ephemeral ? { data: { flags: EPHEMERAL } } : {}) };
    const deferred = this.d.rest.post(Routes.interactionCallback(i.id, i.token), { body, auth: false }).then(
      () => true,
      (err) => {
        this.d.log.warn({ err, interaction: i.id }, 'could not acknowledge the interaction in time');
        return false;
      },
    );
    const pending: Pending = {
      id: i.id,
      token: i.token,
      applicationId: i.applicationId,
      ephemeral,
      dmUserId: i.inGuild() ? undefined : i.user.id,
      deferred,
      answered: false,
      expiresAt: this.d.now() + PENDING_MS,
    };
    this.pending.set(i.id, pending);
    return pending;
  }

  /** The pending interaction this message answers, if any. */
  pendingFor(to: Destination, message: OutMessage): Pending | undefined {
    let p = message.replyTo ? this.pending.get(message.replyTo) : undefined;
    // A command typed in the bot's DM that answers by DM (e.g. /link) answers the interaction.
    if (!p && to.userId !== undefined) p = [...this.pending.values()].find((x) => x.dmUserId === to.userId && !x.answered);
    if (!p || p.expiresAt <= this.d.now()) return undefined;
    // A private answer cannot be edited in place later: messages meant to be updated go to the channel.
    if (p.ephemeral && (message.editKey || message.poll)) return undefined;
    return p;
  }

  /** Answer through the interaction; undefined when its token no longer works (then post normally). */
  async send(p: Pending, channelId: string, bodies: MessageBody[], message: OutMessage, out: Outward): Promise<SentRef | undefined> {
    try {
      if (bodies[0]!.poll) {
        // A native poll cannot be added to a deferred response: post it, and remove the "thinking…".
        const sent = await out.post(channelId, bodies[0]!, message.deliveryId);
        out.remember(sent.id, message);
        if (!p.answered) await this.d.rest.delete(Routes.webhookMessage(p.applicationId, p.token, '@original'), { auth: false }).catch(() => undefined);
        p.answered = true;
        return { messageId: sent.id };
      }
      let first: string | undefined;
      for (const body of bodies) {
        const sent = await this.answer(p, body);
        first ??= sent.id;
        out.remember(sent.id, message);
      }
      return { messageId: first };
    } catch (err) {
      if (err instanceof DiscordAPIError && (err.status === 404 || err.code === 10015 || err.code === 10062)) {
        this.pending.delete(p.id);
        return undefined;
      }
      throw err;
    }
  }

  /** The first answer edits the deferred response; later ones follow up. */
  async answer(p: Pending, body: MessageBody): Promise<{ id: string }> {
    if (!p.answered) {
      const sent = (await this.d.rest.patch(Routes.webhookMessage(p.applicationId, p.token, '@original'), { body, auth: false })) as { id: string };
      p.answered = true;
      return sent;
    }
    const follow = { ...body, ...(p.ephemeral ? { flags: EPHEMERAL } : {}) };
    return (await this.d.rest.post(Routes.webhook(p.applicationId, p.token), { body: follow, query: new URLSearchParams({ wait: 'true' }), auth: false })) as { id: string };
  }

  /** Forget interactions whose token is about to run out; remove a "thinking…" nobody answered. */
  async sweep() {
    const now = this.d.now();
    for (const p of [...this.pending.values()]) {
      if (p.expiresAt > now) continue;
      this.pending.delete(p.id);
      if (!p.answered && (await p.deferred)) {
        await this.d.rest.delete(Routes.webhookMessage(p.applicationId, p.token, '@original'), { auth: false }).catch(() => undefined);
      }
    }
  }
}

/** Users picked in user options, with the name to show for each. */
function usersOf(options: readonly { user?: { id: string; username: string; displayName: string } | null; member?: unknown; options?: readonly any[] }[]): ResolvedUsers {
  const out: ResolvedUsers = {};
  for (const o of options) {
    if (o.user) {
      const member = o.member as { displayName?: string; nick?: string | null } | undefined;
      out[o.user.id] = { username: o.user.username, displayName: member?.displayName ?? member?.nick ?? o.user.displayName };
    }
    if (o.options) Object.assign(out, usersOf(o.options));
  }
  return out;
}
