// Putting a poll right: `/poll edit N` (while nobody has voted) and `/poll
// delete N`. A poll nobody voted in is deleted from every chat (its message
// edited to say so where the platform can edit); one with votes is cancelled:
// closed without results, and every voter is told.
import type { Clock } from '../clock.js';
import type { RolesService } from '../collabs/roles.js';
import { chatDestination } from '../collabs/service.js';
import { UserError } from '../errors.js';
import type { Outbox } from '../outbox/outbox.js';
import type { PeopleService } from '../people/service.js';
import type { DB } from '../storage/db.js';
import { clip, plural } from '../text/format.js';
import { isCancelled } from './cancelled.js';
import { PollExtrasRepo } from './reasons-repo.js';
import type { PollRow } from './repo.js';
import { editKey } from './render.js';
import type { PollsService } from './service.js';
import { PROPOSAL_OPTIONS } from './tally.js';
import type { Origin } from './types.js';
import { oneLine } from '../text/quote.js';
import { MAX_LABEL, MAX_OPTIONS, MAX_QUESTION, MIN_OPTIONS } from './validate.js';

export interface PollChangesDeps {
  db: DB;
  clock: Clock;
  outbox: Outbox;
  people: PeopleService;
  roles: RolesService;
  polls: PollsService;
}

export type Deletion = { kind: 'deleted'; poll: PollRow } | { kind: 'cancelled'; poll: PollRow; voters: number };

export class PollChanges {
  private readonly extras: PollExtrasRepo;

  constructor(private d: PollChangesDeps) {
    this.extras = new PollExtrasRepo(d.db);
    // A cancelled poll stays closed.
    d.polls.addRules({
      reopen: (poll) => (isCancelled(poll) ? `Poll #${poll.id} was cancelled, so it can't be reopened. Ask again with a new poll, e.g. /poll "${clip(poll.question, 60)}" …` : undefined),
    });
  }

  /** New question (and options) for a poll nobody has voted in yet. */
  edit(pollId: number, by: number, question: string, options: string[], from: Origin): PollRow {
    return this.d.db.transaction(() => {
      const poll = this.d.polls.require(pollId);
      this.d.polls.checkVisible(poll, { personId: by, chat: from.chat }, 'change');
      this.checkMay(poll, by, 'change');
      const grant = /^grant:(\d+)$/.exec(poll.origin ?? '')?.[1];
      if (grant) throw new UserError(`Poll #${poll.id} is the leads' decision on grant #${grant}, so its question can't be changed. To change the request, withdraw it and ask again: /grant withdraw ${grant}`);
      const example = `/poll edit ${poll.id} "${clip(poll.question, 60)}" "Option A" "Option B"`;
      if (poll.status !== 'open') throw new UserError(`Poll #${poll.id} is closed, so it can't be changed. Ask again with a new poll, e.g. ${example.replace(`edit ${poll.id} `, '')}`);
      if (poll.voters > 0) {
        throw new UserError(
          `${plural(poll.voters, 'person has', 'people have')} voted in poll #${poll.id}, so changing it would change what they voted for. ` +
            `Delete it instead (their votes are cancelled and they are told), then ask again: /poll delete ${poll.id}`,
        );
      }
      const q = oneLine(question).trim();
      if (!q) throw new UserError(`Give the new question. For example: ${example}`);
      if (q.length > MAX_QUESTION) throw new UserError(`That question is too long (${q.length} characters). Please keep it under ${MAX_QUESTION}.`);
      let labels = options.map((o) => oneLine(o).trim()).filter(Boolean);
      const old = this.d.polls.options(poll).map((o) => o.label);
      if (poll.type === 'proposal') {
        if (labels.length) throw new UserError(`A proposal keeps its options (agree, abstain, disagree, block): give only the new question. For example: /poll edit ${poll.id} "Shall we fund the minibus?"`);
        labels = [...PROPOSAL_OPTIONS];
      } else if (!labels.length) labels = old; // only the question changes
      if (labels.length < MIN_OPTIONS || labels.length > MAX_OPTIONS) throw new UserError(`A poll needs ${MIN_OPTIONS} to ${MAX_OPTIONS} options; you gave ${labels.length}. For example: ${example}`);
      const long = labels.find((l) => l.length > MAX_LABEL);
      if (long) throw new UserError(`The option "${clip(long, 30)}" is too long. Please keep each option under ${MAX_LABEL} characters.`);
      const seen = new Set(labels.map((l) => l.toLowerCase()));
      if (seen.size < labels.length) throw new UserError(`An option is there twice. Give each option once. For example: ${example}`);
      if (poll.multi > labels.length) throw new UserError(`Poll #${poll.id} lets each voter pick up to ${poll.multi}, so it needs at least ${poll.multi} options. For example: ${example}`);
      this.extras.replaceQuestion(poll.id, q, labels);
      const changed = this.d.polls.require(poll.id);
      // The poll's message in every chat: edited in place where the platform can edit, posted again elsewhere.
      for (const chat of this.d.polls.chats(poll)) {
        const replyTo = chat.id === from.chat.id ? from.messageId : undefined;
        this.d.outbox.enqueue(chatDestination(chat), this.d.polls.message(changed, replyTo ? { replyTo } : {}), { origin: `poll:${poll.id}` });
      }
      return changed;
    })();
  }

  /** Delete (no votes) or cancel (votes) a poll, saying so in every chat that shows it. */
  delete(pollId: number, by: number, from: Origin): Deletion {
    return this.d.db.transaction((): Deletion => {
      const poll = this.d.polls.require(pollId);
      this.d.polls.checkVisible(poll, { personId: by, chat: from.chat }, 'delete');
      this.checkMay(poll, by, 'delete');
      if (poll.origin) {
        const grant = /^grant:(\d+)$/.exec(poll.origin)?.[1];
        throw new UserError(
          grant
            ? `Poll #${poll.id} is the leads' decision on grant #${grant}, so it can't be deleted on its own. To stop it, withdraw the request: /grant withdraw ${grant}`
            : `Poll #${poll.id} was opened by another feature, so it can't be deleted on its own. To end it: /poll close ${poll.id}`,
        );
      }
      if (isCancelled(poll)) throw new UserError(`Poll #${poll.id} is already cancelled. To see the open polls: /polls`);
      const now = this.d.clock.now();
      const who = this.d.people.name(by);
      const title = `Poll #${poll.id} (${clip(poll.question, 80)})`;
      this.d.polls.cancelJobs(poll.id);
      if (poll.voters === 0) {
        this.extras.markDeleted(poll.id, now);
        this.tellChats(poll, from, `${title} was deleted by ${who}.`);
        return { kind: 'deleted', poll };
      }
      const voters = this.extras.voterIds(poll.id);
      this.extras.markCancelled(poll.id, now, by);
      this.tellChats(poll, from, `${title} was cancelled by ${who}. It is closed without results: the ${plural(voters.length, 'vote')} cast will not count.`);
      for (const person of voters) {
        if (person === by) continue;
        const to = this.d.people.directTo(person);
        if (to) this.d.outbox.enqueue(to, { text: `${title}, which you voted in, was cancelled by ${who}. Your vote will not count; if it is asked again, please vote again.` }, { idemKey: `poll:${poll.id}:cancelled:${person}`, origin: `poll:${poll.id}` });
      }
      return { kind: 'cancelled', poll, voters: voters.length };
    })();
  }

  /** The asker, a facilitator of its collab or an admin (for leads' polls: a lead or an admin). */
  private checkMay(poll: PollRow, by: number, verb: string) {
    const { roles } = this.d;
    const ok = poll.voter_role
      ? roles.hasAny(by, [poll.voter_role], null)
      : poll.created_by === by || roles.isAdmin(by) || (poll.collab_id !== null && roles.has(by, 'facilitator', poll.collab_id));
    if (!ok) throw new UserError(`Only the person who asked poll #${poll.id}, a facilitator of its collab or an admin can ${verb} it. Type /roles to see who can help.`);
  }

  /** The poll's message becomes the notice where the platform can edit it; elsewhere the notice is posted. */
  private tellChats(poll: PollRow, from: Origin, text: string) {
    const chats = this.d.polls.chats(poll);
    if (!chats.some((c) => c.id === from.chat.id)) chats.unshift(from.chat);
    for (const chat of chats) {
      const replyTo = chat.id === from.chat.id ? from.messageId : undefined;
      this.d.outbox.enqueue(chatDestination(chat), { text, editKey: editKey(poll.id), ...(replyTo ? { replyTo } : {}) }, { origin: `poll:${poll.id}` });
    }
  }
}
