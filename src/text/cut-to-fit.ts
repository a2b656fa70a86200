/**
 * `text` cut to fit a platform's limit of `max` characters (JavaScript string
 * length, as platforms count them), line breaks kept, ending in `…` when cut.
 * It never cuts an emoji or other character outside the basic plane in half,
 * which would leave text a platform may refuse.
 */
export function cutToFit(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = text.slice(0, Math.max(0, max - 1));
  if (/[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  return kept + '…';
}
