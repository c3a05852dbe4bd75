/** The visible mark of a cut text. */
export const ELLIPSIS = '…';

/**
 * `text` cut to at most `max` characters (UTF-16 code units, what Bitbucket's
 * limits count at most), ending in `…` when cut; never splits a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - ELLIPSIS.length;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, Math.max(cut, 0))}${ELLIPSIS}`;
}

/** `body` cut so that `body + tail` fits in `max`: the tail (e.g. where the full text is) always survives. */
export function truncateKeepingTail(body: string, tail: string, max: number): string {
  return `${truncate(body, Math.max(max - tail.length, ELLIPSIS.length))}${tail}`;
}
