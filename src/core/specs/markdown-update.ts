import { isMap, isScalar, LineCounter, parseDocument, type Pair } from 'yaml';
import { InputError } from '../errors.js';
import { OPEN_BOX, parseBody } from './body.js';
import { splitFrontmatter } from './frontmatter.js';
import { SPEC_STATUSES, type SpecStatus } from './model.js';
import { detectEol, eolOf, splitLines, stripEol } from './text.js';

/**
 * Write-back of a markdown spec's text: its frontmatter `status:` and the boxes of its
 * criteria. Pure (text in, text out); writing the file is spec-file-rewrite.ts.
 */

/** What write-back changes in a spec, whatever its layout. */
export interface SpecUpdate {
  status?: SpecStatus;
  /** Tick every criterion, or those at these indices in `Spec.criteria` (0-based). */
  tickCriteria?: 'all' | number[];
  /** Every box of the file is a criterion (a tasks file), whatever its heading. */
  allBoxes?: boolean;
}

const BOM = '\uFEFF';
const SIMPLE_SCALARS = new Set(['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE']);

/**
 * Apply `update` to the text of a spec file, changing only the `status:` value and the
 * `[ ]` of ticked criteria: every other byte (comments, key order, quoting, line endings,
 * a byte-order mark) is kept. A missing `status:` is added as the last frontmatter line;
 * a file without frontmatter gets a minimal one. Throws InputError when the file cannot
 * be updated safely (unclosed frontmatter, invalid YAML, unknown criterion).
 */
export function applySpecUpdate(text: string, update: SpecUpdate, file = 'spec'): string {
  const bom = text.startsWith(BOM) ? BOM : '';
  const content = text.slice(bom.length);
  const lines = splitLines(content);
  const split = splitFrontmatter(content);
  if (split.unclosed) {
    throw new InputError(`${file}:1:1: frontmatter opened with --- is never closed; not updated`);
  }
  if (update.tickCriteria !== undefined) {
    const { criteria } = parseBody(split.body, split.bodyLine, update.allBoxes === true);
    const indices = update.tickCriteria === 'all' ? criteria.map((_, i) => i) : update.tickCriteria;
    for (const index of indices) {
      const criterion = criteria[index];
      if (!criterion) {
        throw new InputError(
          `${file}: no acceptance criterion #${index} (the spec has ${criteria.length}); not updated`,
        );
      }
      if (criterion.done) continue;
      const i = criterion.line - 1;
      const line = lines[i] ?? '';
      lines[i] = line.replace(OPEN_BOX, '$1[x]');
    }
  }
  if (update.status !== undefined) {
    if (!SPEC_STATUSES.includes(update.status)) {
      throw new InputError(`unknown status "${String(update.status)}"`);
    }
    if (split.yaml !== undefined && split.closeIndex !== undefined) {
      setFrontmatterStatus(lines, split.yaml, split.closeIndex, update.status, file, content);
    } else {
      const eol = detectEol(content);
      lines.unshift(`---${eol}`, `status: ${update.status}${eol}`, `---${eol}`);
    }
  }
  return bom + lines.join('');
}

function setFrontmatterStatus(
  lines: string[],
  yaml: string,
  closeIndex: number,
  status: SpecStatus,
  file: string,
  content: string,
): void {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e ? lineCounter.linePos(e.pos[0]) : { line: 1, col: 1 };
    throw new InputError(
      `${file}:${pos.line + 1}:${pos.col}: invalid YAML in the frontmatter; status not updated`,
    );
  }
  const contents = doc.contents;
  const pair = isMap(contents)
    ? (contents.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === 'status')
    : undefined;
  if (!pair) {
    if (contents !== null && !isMap(contents)) {
      throw new InputError(`${file}:2:1: the frontmatter is not a mapping; status not updated`);
    }
    const before = lines[closeIndex - 1];
    const eol =
      before !== undefined && closeIndex > 1
        ? eolOf(before) || detectEol(content)
        : detectEol(content);
    lines.splice(closeIndex, 0, `status: ${status}${eol}`);
    return;
  }
  const value = pair.value;
  const range = isScalar(value) ? value.range : undefined;
  if (!isScalar(value) || !range || !SIMPLE_SCALARS.has(String(value.type))) {
    throw new InputError(`${file}: status is not a plain value; not updated`);
  }
  const [start, end] = range;
  const source = yaml.slice(start, end);
  const from = lineCounter.linePos(start);
  const to = lineCounter.linePos(end);
  if (from.line !== to.line) {
    throw new InputError(
      `${file}:${from.line + 1}:${from.col}: status spans several lines; not updated`,
    );
  }
  // YAML line n is file line n + 1 (index n, after the opening ---).
  const index = from.line;
  const line = lines[index] ?? '';
  const body = stripEol(line);
  const col = from.col - 1;
  let replacement: string = status;
  if (source.startsWith('"')) replacement = `"${status}"`;
  else if (source.startsWith("'")) replacement = `'${status}'`;
  else if (source === '') {
    // An empty value (`status:` or `status: # note`): keep the separating spaces valid.
    if (body[col - 1] === ':') replacement = ` ${replacement}`;
    if (col < body.length && !/\s/.test(body[col] ?? '')) replacement = `${replacement} `;
  }
  lines[index] = body.slice(0, col) + replacement + body.slice(col + source.length) + eolOf(line);
}
