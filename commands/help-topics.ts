// The topics of /help: each groups command families, so /help fits one phone
// screen and /help <topic> lists that topic's commands. Every family belongs to
// exactly one topic (a test checks it against the registry).
export interface HelpTopic {
  /** What to type after /help. */
  name: string;
  title: string;
  /** What it is for, in a few words. */
  about: string;
  /** First words of the commands it covers. */
  families: string[];
}

export const HELP_TOPICS: HelpTopic[] = [
  { name: 'collab', title: 'Collabs', about: 'set up this chat as a collab, link chats, subscribe', families: ['collab', 'collabs', 'subscribe', 'unsubscribe'] },
  { name: 'polls', title: 'Polls', about: 'ask, vote with reasons, see results', families: ['poll', 'vote', 'unvote', 'polls'] },
  { name: 'elections', title: 'Elections', about: 'stand, nominate, elect delegates', families: ['election', 'elections'] },
  { name: 'notes', title: 'Notes', about: 'meeting notes and action items', families: ['notes', 'actions', 'action'] },
  { name: 'grants', title: 'Grants', about: 'ask for money, leads decide, report back', families: ['grant', 'grants', 'fund'] },
  { name: 'stories', title: 'Stories', about: 'what your work made possible', families: ['story', 'stories', 'outcomes', 'outcome'] },
  { name: 'measures', title: 'Measures', about: 'count what changes, month by month', families: ['measure', 'measures'] },
  { name: 'minutes', title: 'Minutes', about: "delegates' minutes and comments", families: ['minutes', 'comment', 'delegate', 'delegates'] },
  { name: 'reminders', title: 'Reminders', about: 'for this chat or just for you', families: ['remind', 'reminders'] },
  { name: 'roles', title: 'Roles', about: 'who leads, facilitates, helps', families: ['role', 'roles'] },
  { name: 'link', title: 'Link', about: 'one person on several apps', families: ['link'] },
  { name: 'privacy', title: 'Your data', about: 'see or erase what I keep; is the bot well', families: ['mydata', 'forget', 'status'] },
];

/** The topic a word names: its name, title or one of its families (`/help poll`, `/help Polls`). */
export function findTopic(word: string): HelpTopic | undefined {
  const w = word.toLowerCase().replace(/^\//, '');
  return HELP_TOPICS.find((t) => t.name === w || t.title.toLowerCase() === w);
}
