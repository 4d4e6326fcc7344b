import { splitLines, stripEol } from './text.js';

/**
 * A spec file split into its YAML frontmatter (between a first line `---` and the next
 * `---` or `...` line) and its markdown body. Line numbers are 1-based in the whole file.
 */
export interface SplitSpec {
  /** The YAML text, or undefined for a bare markdown file. */
  yaml?: string;
  /** File line of the first YAML line (2 when the file starts with `---`). */
  yamlLine: number;
  /** 0-based index (in `splitLines`) of the closing fence, when there is frontmatter. */
  closeIndex?: number;
  /** The opening fence has no closing fence. */
  unclosed: boolean;
  body: string;
  /** File line of the body's first line. */
  bodyLine: number;
}

const OPEN = /^---[ \t]*$/;
const CLOSE = /^(---|\.\.\.)[ \t]*$/;

/** `text` must not start with a byte-order mark. */
export function splitFrontmatter(text: string): SplitSpec {
  const lines = splitLines(text);
  const first = lines[0];
  if (first === undefined || !OPEN.test(stripEol(first))) {
    return { yamlLine: 1, unclosed: false, body: text, bodyLine: 1 };
  }
  for (let i = 1; i < lines.length; i++) {
    if (CLOSE.test(stripEol(lines[i] ?? ''))) {
      return {
        yaml: lines.slice(1, i).join(''),
        yamlLine: 2,
        closeIndex: i,
        unclosed: false,
        body: lines.slice(i + 1).join(''),
        bodyLine: i + 2,
      };
    }
  }
  return { yaml: lines.slice(1).join(''), yamlLine: 2, unclosed: true, body: '', bodyLine: 1 };
}
