import type { CommandGuess, DetectorContext, Evidence } from './types.js';

/**
 * The evidence behind a detected command, as `mmm analyze --json` shows it: each file
 * that supports the command with the line of the key or target in it, so a user can
 * see why a command was chosen.
 */

/** Evidence for `file`, optionally at `key` (dotted for JSON/TOML, a target name otherwise). */
export function at(file: string, key?: string): Evidence {
  return key ? { file, key } : { file };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The 1-based line where the dotted `key` is defined in `text`: each segment is looked
 * for after the previous one, as a JSON key (`"test":`), a TOML table or key
 * (`[tool.ruff]`, `fix = true`), a make/just target (`fmt:`) or a YAML key.
 */
export function locateKey(text: string, key: string): number | undefined {
  let from = 0;
  let found = -1;
  const segments = key.replace(/^target /, '').split('.');
  // A TOML header names several segments at once: [tool.ruff.lint].
  const header = new RegExp(`^\\s*\\[\\[?${segments.map(escape).join('\\.')}\\]`, 'm');
  const h = header.exec(text);
  if (h && segments.length > 1)
    return lineAt(text, h.index + (h[0].length - h[0].trimStart().length));
  for (const seg of segments) {
    const re = new RegExp(
      `(^|[\\s"'\\[.{,])${escape(seg)}(["'\\]]?\\s*(=|:(?!=)|\\]|\\.)|\\s+[^\\n:=]*:(?!=))`,
      'gm',
    );
    re.lastIndex = from;
    const m = re.exec(text);
    if (!m) return found >= 0 ? lineAt(text, found) : undefined;
    found = m.index + (m[1] ? m[1].length : 0);
    from = found + seg.length;
  }
  return found >= 0 ? lineAt(text, found) : undefined;
}

/** The 1-based line of the first match of `re` in `text`. */
export function lineOf(text: string, re: RegExp): number | undefined {
  const m = re.exec(text);
  return m ? lineAt(text, m.index) : undefined;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** A file named at the start of a source text: "package.json scripts.test" → package.json. */
function fromSource(ctx: DetectorContext, source: string): Evidence[] {
  const out: Evidence[] = [];
  for (const part of source.split(/\s*[+;,]\s*/)) {
    const [first, ...rest] = part.trim().split(/\s+/);
    if (!first || !ctx.has(first)) continue;
    const key = rest.join(' ').replace(/^target /, '');
    out.push(
      key && !key.startsWith('(')
        ? at(first, `${rest[0] === 'target' ? 'target ' : ''}${key.split(' ')[0]}`)
        : at(first),
    );
  }
  return out;
}

/** The guess's evidence with lines filled in (files are read once, through ctx). */
export async function resolveEvidence(
  ctx: DetectorContext,
  g: CommandGuess,
  manifest?: string,
): Promise<Evidence[]> {
  let list = g.evidence?.length ? g.evidence : fromSource(ctx, g.source);
  if (list.length === 0 && manifest && ctx.has(manifest)) list = [{ file: manifest }];
  const out: Evidence[] = [];
  for (const e of list) {
    if (e.line !== undefined || !e.key) {
      out.push(e);
      continue;
    }
    const text = await ctx.readText(e.file);
    const line = text === null ? undefined : locateKey(text, e.key);
    out.push(line === undefined ? e : { ...e, line });
  }
  return out;
}
