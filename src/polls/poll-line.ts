// Reading `/poll …` so that a poll is only ever made on purpose: the question is
// in quotes or ends with "?"; options are in quotes or separated by commas
// (`/poll Lunch? Soup, Salad, Pizza`); a stray quote is refused, naming where.
// Anything else makes nothing and is answered with the right form, built from
// the words typed.
import { UserError } from '../errors.js';
import { clip } from '../text/format.js';

export interface Word {
  text: string;
  quoted: boolean;
}

const STRAY_QUOTE = /["\u201c\u201d\u201e\u00ab\u00bb]/;

/** The question and options of a `/poll` line (its words after flags were taken out). */
export function readPollLine(words: Word[], subcommands: string[]): { question: string; options: string[] } {
  const stray = words.find((w) => !w.quoted && STRAY_QUOTE.test(w.text));
  if (stray) {
    throw new UserError(
      `A quote is missing near ${clip(stray.text, 40)}: each quoted option needs a " at both ends, so I made nothing.\n` +
        `Type it like this: /poll "Where should we meet?" "Town hall" "Library"`,
    );
  }
  let rest: Word[];
  let question: string;
  if (words[0]?.quoted) {
    question = words[0].text;
    rest = words.slice(1);
  } else {
    const end = words.findIndex((w) => !w.quoted && /[?\uff1f]$/.test(w.text));
    if (end < 0) throw new UserError(notAQuestion(words, subcommands));
    question = words.slice(0, end + 1).map((w) => w.text).join(' ');
    rest = words.slice(end + 1);
  }
  return { question, options: readOptions(rest) };
}

/** Quoted words are one option each; unquoted words are split at commas (or, without commas, each word is an option). */
function readOptions(words: Word[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    const text = run.join(' ');
    run = [];
    if (!text.trim()) return;
    if (/[,;]/.test(text)) out.push(...text.split(/[,;]/).map((p) => p.trim()).filter(Boolean));
    else out.push(...text.split(/\s+/).filter(Boolean));
  };
  for (const w of words) {
    if (w.quoted) {
      flush();
      out.push(w.text);
    } else run.push(w.text);
  }
  flush();
  return out;
}

/** Nothing says where the question ends: show the line as it should be, with the words typed. */
function notAQuestion(words: Word[], subcommands: string[]): string {
  const [first, second] = words;
  if (first && !first.quoted && /^[a-z]+$/i.test(first.text) && second && /^#?\d+$/.test(second.text)) {
    return `There is no /poll ${clip(first.text, 20)}, so I made nothing. The poll commands are: ${subcommands.map((s) => `/poll ${s}`).join(', ')}.\nFor example: /poll results ${second.text.replace('#', '')}`;
  }
  const head = 'I made no poll: I can\'t tell where the question ends. Put the question in quotes or end it with "?".';
  const example = suggestLine(words);
  return `${head}\nType it like this: ${example}`;
}

/** `Where should the party be Town hall, Library, Pub` → `/poll "Where should the party be?" Town hall, Library, Pub`. */
function suggestLine(words: Word[]): string {
  const quotedAt = words.findIndex((w) => w.quoted);
  const texts = words.map((w) => w.text);
  if (quotedAt > 0) return `/poll "${clip(texts.slice(0, quotedAt).join(' '), 80)}?" ${words.slice(quotedAt).map((w) => (w.quoted ? `"${w.text}"` : w.text)).join(' ')}`;
  const comma = texts.findIndex((t) => t.includes(','));
  if (comma > 0) {
    // The first option starts at the last capitalised word before the first comma (phones capitalise options), else it is one word.
    let start = comma;
    for (let i = comma; i > 0; i--) {
      if (/^\p{Lu}/u.test(texts[i]!)) {
        start = i;
        break;
      }
    }
    return `/poll "${clip(texts.slice(0, start).join(' '), 80)}?" ${texts.slice(start).join(' ')}`;
  }
  return '/poll "Lunch on Friday?" Soup, Salad, Pizza';
}
