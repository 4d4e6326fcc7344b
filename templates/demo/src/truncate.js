/**
 * Shorten text to at most `max` characters, ending with an ellipsis when cut.
 *
 *   truncate('The quick brown fox', 10) === 'The quick…'
 */
export function truncate(text, max) {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1).trimEnd()}…`;
}
