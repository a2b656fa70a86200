// The shapes the poll service takes and gives: a new poll, a voter, a vote's receipt, a feature's rules.
import type { ChatRow } from '../collabs/repo.js';
import type { Clock } from '../clock.js';
import type { RolesService } from '../collabs/roles.js';
import type { CollabsService } from '../collabs/service.js';
import type { Config } from '../config.js';
import type { Outbox } from '../outbox/outbox.js';
import type { PeopleService } from '../people/service.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { DB } from '../storage/db.js';
import type { PollType } from './ballot.js';
import type { PollState } from './render.js';
import type { PollRow } from './repo.js';
import type { PollResult } from './tally.js';

export interface NewPoll {
  question: string;
  /** Not for proposals (their options are fixed). */
  options?: string[];
  /** 'stv': a ranked poll filling `seats` seats, counted by the single transferable vote. */
  type?: PollType | 'stv';
  seats?: number;
  multi?: number;
  anonymous?: boolean;
  hidden?: boolean;
  closesAt?: number;
  quorum?: number;
  /** Post to every chat subscribed with /subscribe polls (leads and admins only). */
  everywhere?: boolean;
  /** Ask for the platform's own poll (Discord), where its limits allow. Choice polls and proposals only. */
  native?: boolean;
  /** Only holders of this role may vote, e.g. leads deciding a grant. */
  voterRole?: 'lead';
  /** What the poll decides, e.g. 'grant:7'; onClosed listeners use it. */
  origin?: string;
  /** Who asked (null: the system, e.g. another feature). */
  createdBy: number | null;
  /** The collab it belongs to: all its chats show the poll. */
  collabId: number | null;
  /** The chat the command came from: the post answers that message. */
  from?: Origin;
  /** More chats to post it to. */
  chats?: ChatRow[];
}

/** Where a command came from, so the answer can quote it. */
export interface Origin {
  chat: ChatRow;
  messageId?: string;
}

export interface Voter {
  personId: number;
  chat: ChatRow;
}

/** What a vote did, with the poll's state after it (for the reply's live count). */
export type VoteReceipt =
  | { kind: 'new' | 'same'; poll: PollRow; ballot: string; state: PollState; reason?: string }
  | { kind: 'changed'; poll: PollRow; ballot: string; previous: string; state: PollState; reason?: string }
  | { kind: 'anonymous'; poll: PollRow; state: PollState; reason?: string };

/** Called inside the closing transaction; throwing rolls the close back. */
export type ClosedListener = (poll: PollRow, result: PollResult) => void;

/** What a feature that opens polls (e.g. a leads' poll on a grant) adds to their rules. */
export interface PollRules {
  /**
   * Why this person must not decide the poll (vote in it, close, reopen or record
   * its outcome), if they must not: a conflict of interest, e.g. "you asked for grant #7".
   */
  conflict?(poll: PollRow, personId: number): string | undefined;
  /** Why the poll may not be reopened, if so: a full sentence saying what to do instead. */
  reopen?(poll: PollRow): string | undefined;
  /** Why this person must not close, reopen or record the outcome of the poll (though they may vote in it), if so. */
  manage?(poll: PollRow, personId: number): string | undefined;
  /** How many must vote for it to count (overrides --quorum), e.g. half the leads who may vote. */
  quorum?(poll: PollRow): number | undefined;
  /** Why this person may not close the poll now (before its closing time), if so: a full sentence. */
  close?(poll: PollRow, personId: number): string | undefined;
  /** Lines the poll shows under its options, e.g. the rule that decides it. */
  notes?(poll: PollRow): string[];
}

export interface PollsDeps {
  db: DB;
  clock: Clock;
  config: Pick<Config, 'COLLABOT_TZ'>;
  outbox: Outbox;
  scheduler: Scheduler;
  collabs: CollabsService;
  roles: RolesService;
  people: PeopleService;
}

