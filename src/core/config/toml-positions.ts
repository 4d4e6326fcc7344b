/**
 * Finds the line where a key path is set in a TOML document, so that value errors can
 * name `file:line`. smol-toml gives positions only for syntax errors; this scans the
 * text for table headers (`[a.b]`, `[[a]]`) and `key =` / `a.b =` assignments.
 * Returns the line of the deepest prefix of `path` that was found (1-based), or 1.
 */
export function findKeyLine(text: string, path: readonly (string | number)[]): number {
  const keys = path.filter((k): k is string => typeof k === 'string');
  const lines = text.split(/\r?\n/);
  let table: string[] = [];
  let best = { depth: 0, line: 1 };
  const consider = (full: string[], line: number) => {
    let depth = 0;
    while (depth < full.length && depth < keys.length && full[depth] === keys[depth]) depth++;
    if (depth === full.length && depth > best.depth) best = { depth, line };
  };
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?/.exec(line);
    if (header?.[1]) {
      table = splitDotted(header[1]);
      consider(table, index + 1);
      return;
    }
    const assign = /^((?:"[^"]*"|'[^']*'|[A-Za-z0-9_.\s-])+?)\s*=/.exec(line);
    if (assign?.[1]) consider([...table, ...splitDotted(assign[1])], index + 1);
  });
  return best.line;
}

function splitDotted(key: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(key)) !== null && m[0] !== '') parts.push(m[1] ?? m[2] ?? m[3] ?? '');
  return parts;
}
