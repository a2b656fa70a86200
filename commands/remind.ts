import { z } from 'zod';
import { choice, recordNumber, rest } from '../src/core/args.js';
import type { CommandContext } from '../src/core/context.js';
import { defineCommand } from '../src/core/registry.js';
import { describeReminder, MAX_TEXT } from '../src/reminders/service.js';
import { readWhen } from '../src/reminders/when.js';
import { formatMoment, fromNow } from '../src/time/dates.js';

// `<when> <message>` as typed; readWhen finds where one ends and the other begins.
const line = rest(z.string().max(MAX_TEXT + 200, `A reminder can be at most ${MAX_TEXT} characters`)).optional();
const reminderNumber = recordNumber('reminder', 'Say which reminder by its number (type /reminders to see them)');

function setReminder(ctx: CommandContext, typed: string | undefined, personal: boolean) {
  const command = personal ? '/remind me' : '/remind';
  const when = readWhen(typed ?? '', { now: ctx.now, tz: ctx.tz, command });
  const r = ctx.services.reminders.create({
    chat: ctx.chat,
    personId: personal ? ctx.actor.personId : null,
    createdBy: ctx.actor.personId,
    text: when.text,
    whenText: when.whenText,
    schedule: when.schedule,
    tz: ctx.tz,
  });
  const who = personal ? 'you by direct message' : 'this chat';
  const first = formatMoment(r.next_at!, r.tz);
  if (r.cron) {
    const repeat = /^cron\b/i.test(when.whenText) ? `on the schedule ${when.whenText}` : when.whenText;
    ctx.reply(
      `Done: reminder ${r.id} will remind ${who} ${repeat} (${r.tz} time), first on ${first}: ${r.text}\n` +
        `To pause it: /remind pause ${r.id}. To stop it: /remind cancel ${r.id}`,
    );
  } else {
    ctx.reply(`Done: reminder ${r.id} will remind ${who} on ${first} (${fromNow(r.next_at!, ctx.now)}): ${r.text}\nTo cancel it: /remind cancel ${r.id}`);
  }
}

/** As the reminders service enforces it (see its refusal). */
const REMINDER_OWNERS = 'the person who set it, a facilitator of its collab or an admin';

export const remindCommands = [
  defineCommand({
    name: 'remind',
    summary: 'Remind this chat at a time, once or repeating',
    usage: '/remind <when> <message>',
    examples: [
      '/remind friday 10am Send your stats',
      '/remind in 10 minutes Coffee break is over',
      '/remind tomorrow at 9 Forum starts at 10',
      '/remind every monday at 10:00 Weekly check-in',
      '/remind every 2 weeks on monday at 9 Team call',
      '/remind every 3 days at 18:00 Water the plants',
      '/remind every month on the 1st at 9:00 Send your monthly numbers',
    ],
    roles: ['facilitator', 'lead'],
    where: 'collab',
    args: z.object({ line }),
    positional: ['line*'],
    handler(ctx, { line }) {
      setReminder(ctx, line, false);
    },
  }),
  defineCommand({
    name: 'remind me',
    summary: 'Remind yourself, by direct message',
    usage: '/remind me <when> <message>',
    examples: ['/remind me in 2h Call the venue', '/remind me every weekday at 8:30 Check the rota'],
    args: z.object({ line }),
    positional: ['line*'],
    handler(ctx, { line }) {
      setReminder(ctx, line, true);
    },
  }),
  defineCommand({
    name: 'reminders',
    summary: "List this chat's reminders (in a direct message, or with me: your own)",
    usage: '/reminders [me]',
    examples: ['/reminders', '/reminders me'],
    args: z.object({ who: choice(['me'], 'Type /reminders for this chat, or /reminders me for your own').optional() }),
    positional: ['who'],
    handler(ctx, { who }) {
      const { reminders } = ctx.services;
      const own = !!ctx.chat.is_direct || who === 'me';
      const list = own ? reminders.ofPerson(ctx.actor.personId) : reminders.ofChat(ctx.chat.id);
      const text = list.length
        ? [
            own ? 'Your reminders (sent to you by direct message):' : 'Reminders in this chat:',
            ...list.map(describeReminder),
            `To cancel one, type its number, e.g. /remind cancel ${list[0]!.id}`,
          ].join('\n')
        : own
          ? 'You have no reminders. Set one with /remind me tomorrow at 9 Call the venue'
          : 'This chat has no reminders. A facilitator can set one with /remind friday 10am Send your stats';
      if (own && !ctx.chat.is_direct) {
        ctx.dm(ctx.actor.personId, text);
        ctx.reply('I have sent you your reminders by direct message.');
      } else ctx.reply(text);
    },
  }),
  defineCommand({
    name: 'remind cancel',
    summary: 'Cancel a reminder',
    usage: '/remind cancel <number>',
    examples: ['/remind cancel 3'],
    who: REMINDER_OWNERS,
    args: z.object({ id: reminderNumber }),
    positional: ['id'],
    handler(ctx, { id }) {
      const r = ctx.services.reminders.cancel(id, ctx.actor.personId);
      ctx.reply(`Done: reminder ${id} is cancelled: ${r.text}`);
    },
  }),
  defineCommand({
    name: 'remind pause',
    summary: 'Pause a reminder until you resume it',
    usage: '/remind pause <number>',
    examples: ['/remind pause 3'],
    who: REMINDER_OWNERS,
    args: z.object({ id: reminderNumber }),
    positional: ['id'],
    handler(ctx, { id }) {
      const r = ctx.services.reminders.pause(id, ctx.actor.personId);
      ctx.reply(`Done: reminder ${id} is paused: ${r.text}\nTo start it again: /remind resume ${id}`);
    },
  }),
  defineCommand({
    name: 'remind resume',
    summary: 'Start a paused reminder again',
    usage: '/remind resume <number>',
    examples: ['/remind resume 3'],
    who: REMINDER_OWNERS,
    args: z.object({ id: reminderNumber }),
    positional: ['id'],
    handler(ctx, { id }) {
      const { reminder, nextAt } = ctx.services.reminders.resume(id, ctx.actor.personId);
      ctx.reply(`Done: reminder ${id} is on again. Next time: ${formatMoment(nextAt, reminder.tz)}: ${reminder.text}`);
    },
  }),
];
