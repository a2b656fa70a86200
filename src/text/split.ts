// Splitting a long message for platforms that cap a message's length. Whole
// lines stay together where they fit; a line longer than the cap breaks at its
// last space that fits, or hard at the cap if it has none.

/** Pieces of at most `max` characters, split at line ends where possible. */
export function splitText(text: string, max: number): string[] {
  const clean = text.replace(/\s+$/, '');
  if (clean.length <= max) return [clean];
  const out: string[] = [];
  let cur: string | undefined;
  const flush = () => {
    if (cur !== undefined && cur !== '') out.push(cur);
    cur = undefined;
  };
  for (const line of clean.split('\n')) {
    let rest = line;
    while (rest.length > max) {
      flush();
      const space = rest.lastIndexOf(' ', max);
      const cut = space > 0 ? space : max;
      out.push(rest.slice(0, cut));
      rest = rest.slice(space > 0 ? cut + 1 : cut);
    }
    if (cur === undefined) cur = rest;
    else if (cur.length + 1 + rest.length <= max) cur += '\n' + rest;
    else {
      flush();
      cur = rest;
    }
  }
  flush();
  return out.length ? out : [clean.slice(0, max)];
}
