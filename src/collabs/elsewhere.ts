// One refusal for showing something of one collab in a chat of another: the
// same words for polls, notes and the rest, pointing to where it can be seen.
export function belongsElsewhere(what: string, collabName: string, doing: string): string {
  return `${what} belongs to ${collabName}, so you can't ${doing} it in this chat. Type the command in one of ${collabName}'s chats, or send it to me in a direct message.`;
}
