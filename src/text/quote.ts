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
