/**
 * A JSON parser that keeps where each value is written (character offsets), so one value
 * can be replaced in the text without reformatting anything else (task-master's
 * tasks.json write-back). Throws SyntaxError with the offset on invalid JSON.
 */
export type JsonNode =
  | { kind: 'object'; start: number; end: number; entries: Array<{ key: string; value: JsonNode }> }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'scalar'; start: number; end: number; value: string | number | boolean | null };

export class JsonPositionError extends SyntaxError {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function parseJsonRanges(text: string): JsonNode {
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonPositionError(`invalid JSON: ${what}`, i);
  };
  const space = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i] ?? '')) i++;
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (text[i] !== '"') fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): JsonNode => {
    space();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: Array<{ key: string; value: JsonNode }> = [];
      space();
      if (text[i] === '}') return { kind: 'object', start, end: ++i, entries };
      for (;;) {
        space();
        if (text[i] !== '"') fail('expected a key in double quotes');
        const key = string();
        space();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        entries.push({ key, value: value() });
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') return { kind: 'object', start, end: ++i, entries };
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      space();
      if (text[i] === ']') return { kind: 'array', start, end: ++i, items };
      for (;;) {
        items.push(value());
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') return { kind: 'array', start, end: ++i, items };
        fail('expected "," or "]"');
      }
    }
    if (c === '"')
      return {
        kind: 'scalar',
        start,
        end: (string(), i),
        value: JSON.parse(text.slice(start, i)) as string,
      };
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 40));
    if (!m) fail('unexpected character');
    i += m?.[0].length ?? 0;
    return {
      kind: 'scalar',
      start,
      end: i,
      value: JSON.parse(m?.[0] ?? 'null') as number | boolean | null,
    };
  };
  const root = value();
  space();
  if (i < text.length) fail('unexpected text after the end');
  return root;
}

export function field(node: JsonNode | undefined, key: string): JsonNode | undefined {
  return node?.kind === 'object' ? node.entries.find((e) => e.key === key)?.value : undefined;
}

/** A JSON value as plain data. */
export function plain(node: JsonNode | undefined): unknown {
  if (!node) return undefined;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'array') return node.items.map(plain);
  return Object.fromEntries(node.entries.map((e) => [e.key, plain(e.value)]));
}
