/**
 * Turn a title into a URL slug: lower case, ASCII letters and digits,
 * words joined by dashes.
 *
 *   slugify('Hello, World!') === 'hello-world'
 */
export function slugify(text) {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
