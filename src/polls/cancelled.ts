// Whether a poll was deleted or cancelled with /poll delete (columns added by migration 171).
import type { PollRow } from './repo.js';

type Marked = PollRow & { deleted_at?: number | null; cancelled_at?: number | null };

export function isCancelled(poll: PollRow): boolean {
  return (poll as Marked).cancelled_at != null;
}

export function isDeleted(poll: PollRow): boolean {
  return (poll as Marked).deleted_at != null;
}
