// The decisions every adapter that draws a poll from its PollView makes the
// same way, after the contract on PollView (src/model.ts).
import type { PollView } from '../model.js';

/**
 * Choice polls and proposals are voted by picking options (buttons, a menu, the
 * platform's own poll); ranked and score polls by typing /vote, so they are
 * shown as their plain text.
 */
export function votedByPicking(view: PollView): boolean {
  return view.type === 'choice' || view.type === 'proposal';
}

/** Each voter may pick several options (`--multi K`). */
export function picksSeveral(view: PollView): boolean {
  return view.type === 'choice' && view.multi > 1;
}

/**
 * Whether the platform's own poll may show it, its limits aside: such a poll
 * shows who ticked what as the votes come in, so never an anonymous or a hidden poll.
 */
export function nativePollFits(view: PollView): boolean {
  return votedByPicking(view) && !view.anonymous && !view.hidden;
}
