// What a command handler sees: who is asking, where, and how to answer.
import type { ChatRow, CollabRow } from '../collabs/repo.js';
import { UserError } from '../errors.js';
import type { Destination, InboundEvent, OutMessage } from '../model.js';
import type { EnqueueOptions } from '../outbox/outbox.js';
import type { Services } from '../services.js';
import type { Role } from '../collabs/roles.js';

/** What a handler may ask of the command registry (the Registry class; declared here so the two files don't import each other). */
export interface CommandCatalog {
  all(): readonly { name: string; summary: string; examples: string[] }[];
  get(name: string): { name: string; examples: string[] } | undefined;
  help(topic?: string): string;
}

export interface Actor {
  personId: number;
  platform: string;
  userId: string;
  name: string;
}

export interface CommandContext {
  event: InboundEvent;
  services: Services;
  /** Every command, for /help. */
  registry: CommandCatalog;
  actor: Actor;
  chat: ChatRow;
  /** The collab this chat belongs to, if any. */
  collab: CollabRow | null;
  /** Milliseconds since the epoch, from the injected clock. */
  now: number;
  /** The collab's time zone, or COLLABOT_TZ. */
  tz: string;
  /** Answer in the chat the command came from (sent after the transaction commits). */
  reply(message: string | OutMessage): void;
  send(to: Destination, message: string | OutMessage, opts?: EnqueueOptions): void;
  /** A direct message to a person, on this platform if they are on it. */
  dm(personId: number, message: string | OutMessage, opts?: EnqueueOptions): void;
  /** The collab of this chat, or a friendly error saying how to make one. */
  requireCollab(): CollabRow;
  /** Resolve `@name` to a person, or a friendly error. */
  person(token: string): number;
  /** Like person(), but undefined instead of an error when the name is unknown or ambiguous. */
  tryPerson(token: string): number | undefined;
  /** Does the asker hold one of these roles (admins always do)? */
  can(roles: Role[], adminsToo?: false): boolean;
}

export function toMessage(m: string | OutMessage): OutMessage {
  return typeof m === 'string' ? { text: m } : m;
}

export function buildContext(event: InboundEvent, services: Services, registry: CommandCatalog, actor: Actor, chat: ChatRow): CommandContext {
  const collab = chat.collab_id ? services.collabs.collab(chat.collab_id) ?? null : null;
  const ctx: CommandContext = {
    event,
    services,
    registry,
    actor,
    chat,
    collab,
    now: services.clock.now(),
    tz: services.collabs.timeZone(collab),
    reply(message) {
      const m = toMessage(message);
      services.outbox.enqueue({ platform: event.platform, chatId: event.chat.id }, { replyTo: event.messageId, ...m });
    },
    send(to, message, opts) {
      services.outbox.enqueue(to, toMessage(message), opts);
    },
    dm(personId, message, opts) {
      const to = services.people.directTo(personId, event.platform);
      if (to) services.outbox.enqueue(to, toMessage(message), opts);
    },
    requireCollab() {
      if (collab) return collab;
      throw new UserError('This chat is not a collab yet. A facilitator can make it one with /collab create <name>, e.g. /collab create Food Network');
    },
    person(token) {
      return resolvePerson(services, event, token);
    },
    tryPerson(token) {
      try {
        return resolvePerson(services, event, token);
      } catch (err) {
        if (err instanceof UserError) return undefined;
        throw err;
      }
    },
    can(roles, adminsToo) {
      if (adminsToo === false && roles.length) return roles.some((r) => services.roles.has(actor.personId, r, collab?.id ?? null));
      return services.roles.hasAny(actor.personId, roles, collab?.id ?? null);
    },
  };
  return ctx;
}

function resolvePerson(services: Services, event: InboundEvent, token: string): number {
  const bare = token.replace(/^@/, '').trim();
  if (!bare) throw new UserError('Say who you mean with @ and their name, e.g. @ben');
  const mention = event.mentions?.find((m) => m.token.replace(/^@/, '').toLowerCase() === bare.toLowerCase() || m.id === bare);
  if (mention) return services.people.ensure(event.platform, mention.id, mention.displayName);
  const known = services.people.find(event.platform, bare);
  if (known) return known;
  const byName = services.people.byName(event.platform, bare);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) throw new UserError(`More than one person is called ${bare}. Mention the right one with @ so I can tell them apart.`);
  throw new UserError(`I don't know who @${bare.slice(0, 40)} is yet. Mention them with @ (pick their name from the list your app shows), e.g. @ben`);
}
