// How a Discord chat is named to the core: `Server #channel`, or `DM with name`.
export function chatName(channel: unknown, guild: string | undefined, user: string): string {
  const name = channel && typeof channel === 'object' && 'name' in channel && typeof channel.name === 'string' ? channel.name : undefined;
  if (!guild) return `DM with ${user}`;
  return name ? `${guild} #${name}` : guild;
}
