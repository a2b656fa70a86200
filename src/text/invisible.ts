// Invisible characters that let one name pass for another: zero-width spaces
// and joiners, direction marks and bidirectional overrides (U+200B–U+200F,
// U+202A–U+202E, U+2066–U+2069). `lee\u200b` must not pass for `lee`. The
// zero-width joiner stays inside emoji (👩‍👩‍👧 is one picture).
const INVISIBLE = /[\u200B\u200C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const LONE_ZWJ = /(?<!\p{Extended_Pictographic}\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '').replace(LONE_ZWJ, '');
}
