// Text one person wrote, relayed by the bot to others (comments, minutes):
// set apart as a quoted block, every line marked, so nothing in it can pass
// for the bot's own words (a fake "Comment on minutes … from the admin" header).
// The bot names the author itself, outside the block.

/** Every line of `text` marked with "> " (a quote on Slack, Discord, WhatsApp and in plain text). */
export function quoted(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() ? `> ${line}` : ''))
    .join('\n');
}

/**
 * `text` on one line: every line break (and the spaces around it) folded to one space.
 * Poll questions and options are kept to one line, so they are only ever shown after
 * the bot's own "Poll #N:" and cannot start a line that looks like the bot's words.
 */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\v\f\u0085\u2028\u2029]+\s*/g, ' ');
}
