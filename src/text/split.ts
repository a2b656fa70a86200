// Splitting a long message into parts that each fit a platform's limit: at
// blank lines between paragraphs first, then at line ends, then at spaces.
// Only a single word longer than the limit is cut, and then between words as
// Intl.Segmenter sees them (Chinese and Japanese have no spaces), or between
// characters as people see them (an emoji with its skin tone or a letter with
// its accent stays whole). Lengths are JavaScript string lengths (UTF-16 code
// units), never less than what a platform counts as characters, so parts fit.

interface Piece {
  text: string;
  /** What separated this piece from the next one; dropped where a part ends. */
  sep: string;
}

type Level = (s: string) => Piece[];

const bySeparator =
  (re: RegExp): Level =>
  (s) => {
    const bits = s.split(re);
    const out: Piece[] = [];
    for (let i = 0; i < bits.length; i += 2) out.push({ text: bits[i]!, sep: bits[i + 1] ?? '' });
    return out;
  };

const bySegments =
  (granularity: 'word' | 'grapheme'): Level =>
  (s) => [...new Intl.Segmenter(undefined, { granularity }).segment(s)].map((g) => ({ text: g.segment, sep: '' }));

const LEVELS: Level[] = [
  bySeparator(/(\n(?:[^\S\n]*\n)+)/), // paragraphs: one or more blank lines
  bySeparator(/(\n)/), // lines
  bySeparator(/((?:(?![\u00a0\u2007\u202f])\s)+)/), // words: any space except the no-break ones
  bySegments('word'),
  bySegments('grapheme'),
  (s) => Array.from(s, (c) => ({ text: c, sep: '' })), // a single grapheme longer than the limit: code points
];

/**
 * Pieces of at most `max` characters (at least 2), in order. Trailing white
 * space goes; where a piece ends, the break (blank line, line end, space) goes.
 */
export function splitText(text: string, max: number): string[] {
  const limit = Math.max(2, Math.floor(max));
  const clean = text.replace(/\s+$/, '');
  if (clean.length <= limit) return [clean];
  const out: string[] = [];
  const rest = pack(clean, limit, 0, out);
  if (rest) out.push(rest);
  return out.filter((p) => p.trim());
}

/**
 * Greedily fill parts with whole pieces of this level; a piece too long on its
 * own is split at the next level. Full parts go to `out`; the part still being
 * filled is returned so the caller can keep adding to it.
 */
function pack(s: string, max: number, level: number, out: string[]): string {
  let cur = '';
  let sep = '';
  let lead = ''; // white space before the first piece (a line's indentation) stays with it
  let started = false;
  for (const p of LEVELS[level]!(s)) {
    if (!p.text) {
      if (cur) sep += p.sep;
      else if (!started) lead += p.sep;
      continue;
    }
    if (!started && lead.length + p.text.length <= max) p.text = lead + p.text;
    started = true;
    if (p.text.length > max && level < LEVELS.length - 1) {
      if (cur) out.push(cur);
      cur = pack(p.text, max, level + 1, out);
    } else if (!cur) {
      cur = p.text;
    } else if (cur.length + sep.length + p.text.length <= max) {
      cur += sep + p.text;
    } else {
      out.push(cur);
      cur = p.text;
    }
    sep = p.sep;
  }
  return cur;
}
