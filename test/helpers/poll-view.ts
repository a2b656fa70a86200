// A PollView as the poll service hands it to adapters, for tests of how they draw it.
import type { PollView } from '../../src/model.js';

/** An open, named choice poll with three options and no votes, changed by `over`. */
export function pollView(over: Partial<PollView> = {}): PollView {
  return {
    pollId: 1,
    question: 'Lunch?',
    type: 'choice',
    options: [
      { index: 1, label: 'Soup' },
      { index: 2, label: 'Salad' },
      { index: 3, label: 'Stew' },
    ],
    multi: 1,
    anonymous: false,
    hidden: false,
    closed: false,
    voters: 0,
    ...over,
  };
}
