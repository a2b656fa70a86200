/**
 * `text` cut to fit in `max` characters (JavaScript string length, as platforms
 * count them), ending in `…` when cut. It never cuts an emoji or other character
 * outside the basic plane in half, which would leave text a platform may refuse.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = text.slice(0, Math.max(0, max - 1));
  if (/[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  return kept + '…';
}
