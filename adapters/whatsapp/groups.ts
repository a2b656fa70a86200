// A group's life as WhatsApp tells it (`group_join`, `group_leave`,
// `group_update`), turned into the core's ChatChanges: the bot added or
// removed, the group renamed, members gone or back.
import type { ChatChange } from '../../src/model.js';
import type { WaGroupNotification } from './client.js';
import type { Directory } from './directory.js';
import { chatKind, idOf, PLATFORM } from './mapping.js';

/** What a group notification means for the core, or nothing when it means nothing to it. */
export async function groupChange(
  event: 'group_join' | 'group_leave' | 'group_update',
  n: WaGroupNotification,
  ownId: string | undefined,
  directory: Directory,
): Promise<ChatChange | undefined> {
  const chatId = idOf(n.chatId);
  if (chatKind(chatId) !== 'group') return undefined;
  if (event === 'group_update') {
    if (n.type !== 'subject') return undefined;
    directory.forgetChat(chatId);
    const name = (n.body ?? '').trim() || (await directory.chatName(chatId, ''));
    return name ? { kind: 'renamed', platform: PLATFORM, chatId, name } : undefined;
  }
  // Recipients may be hidden `@lid` ids: the directory turns them into phone-number ids.
  const raw = (n.recipientIds ?? []).map(idOf).filter(Boolean);
  const people = await directory.people(raw);
  const userIds = raw.map((r) => people.get(r)?.id ?? r);
  const isBot = (id: string) => !!ownId && id === ownId;
  if (userIds.some(isBot)) {
    if (event === 'group_leave') return { kind: 'bot_removed', platform: PLATFORM, chatId };
    directory.forgetChat(chatId);
    return { kind: 'bot_added', platform: PLATFORM, chat: { id: chatId, name: await directory.chatName(chatId, chatId), isDirect: false } };
  }
  if (!userIds.length) return undefined;
  return { kind: event === 'group_leave' ? 'members_left' : 'members_joined', platform: PLATFORM, chatId, userIds };
}
