// For tests of the core itself: a command that exists only in the test, and an
// inbound message as an adapter hands it over.
import { z } from 'zod';
import type { CommandContext } from '../../src/core/context.js';
import { defineCommand, type CommandSpec } from '../../src/core/registry.js';
import type { InboundEvent } from '../../src/model.js';

/** `/name`, with no arguments, doing `handler` (which may throw, to test a crash). */
export function testCommand(name: string, handler: (ctx: CommandContext) => void, summary = 'test only'): CommandSpec {
  return defineCommand({ name, summary, usage: `/${name}`, examples: [`/${name}`], args: z.object({}), handler });
}

let seq = 0;

/** A message typed by `as` (default ana) in the console chat `main`, with a fresh event id unless one is given. */
export function messageEvent(text: string, o: { as?: string; eventId?: string } & Partial<InboundEvent> = {}): InboundEvent {
  const { as = 'ana', eventId = `test-${++seq}`, ...over } = o;
  return {
    kind: 'message',
    platform: 'console',
    eventId,
    messageId: eventId,
    chat: { id: 'main', name: 'main', isDirect: false },
    author: { id: as, displayName: as, isBot: false },
    text,
    time: new Date(),
    ...over,
  } as InboundEvent;
}
