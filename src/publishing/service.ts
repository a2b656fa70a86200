// What a collab and a story's author chose to show on the public site:
// a collab's decisions and stories appear once it publishes (off by default);
// a story shows its author's name only once they agree (default: the collab's name).
import { UserError } from '../errors.js';
import type { DB } from '../storage/db.js';

export class PublishingService {
  private s;
  constructor(deps: { db: DB }) {
    const { db } = deps;
    this.s = {
      publishes: db.prepare<[number], { publish: number }>('SELECT publish FROM collabs WHERE id = ?'),
      setPublish: db.prepare<[number, number]>('UPDATE collabs SET publish = ? WHERE id = ?'),
      setAbout: db.prepare<[string | null, number]>('UPDATE collabs SET about = ? WHERE id = ?'),
      story: db.prepare<[number], { id: number; author_id: number; collab_id: number; author_named: number }>(
        'SELECT id, author_id, collab_id, author_named FROM stories WHERE id = ?',
      ),
      setNamed: db.prepare<[number, number]>('UPDATE stories SET author_named = ? WHERE id = ?'),
    };
  }

  publishes(collabId: number): boolean {
    return this.s.publishes.get(collabId)?.publish === 1;
  }

  /** Returns false when nothing changed. */
  setPublish(collabId: number, on: boolean): boolean {
    if (this.publishes(collabId) === on) return false;
    this.s.setPublish.run(on ? 1 : 0, collabId);
    return true;
  }

  setAbout(collabId: number, about: string | null) {
    this.s.setAbout.run(about, collabId);
  }

  /** The author of story #id agrees (or no longer agrees) to be named on the public site. */
  setStoryNamed(personId: number, storyId: number, named: boolean): boolean {
    const story = this.s.story.get(storyId);
    if (!story) throw new UserError(`There is no story #${storyId}. Type /stories to see their numbers, e.g. /story named ${storyId > 1 ? storyId - 1 : 1}`);
    if (story.author_id !== personId) throw new UserError(`Only the person who told story #${storyId} can choose whether their name is shown.`);
    if ((story.author_named === 1) === named) return false;
    this.s.setNamed.run(named ? 1 : 0, storyId);
    return true;
  }
}
