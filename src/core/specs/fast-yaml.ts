import { Pair, Scalar, YAMLMap, YAMLSeq, type LineCounter, type Node } from 'yaml';

/**
 * A fast reader for the plain subset of YAML that spec frontmatter nearly always uses:
 * block mappings and sequences, single-line plain or quoted scalars, single-line flow
 * lists and mappings of scalars, and comments. It builds the same nodes (types, values,
 * start offsets) as `yaml`'s parseDocument, about twenty times faster. Anything outside
 * the subset returns `undefined` and the caller uses the full parser, which also reports
 * every syntax error: this reader never decides that YAML is invalid.
 */

class Unsupported extends Error {}

interface Line {
  /** Offset of the first non-space character. */
  start: number;
  indent: number;
  /** Text from `start` to the end of the line, without the line ending. */
  text: string;
}

const KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?= |$)/;
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;
const JSON_ESCAPES = /^(?:[^"\\]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*$/;
/** Plain scalars the core schema may read as something other than a string. */
const NUMBER_LIKE =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

function scalar(value: unknown, start: number, end: number, type: Scalar.Type): Scalar {
  const node = new Scalar(value);
  node.range = [start, end, end];
  node.type = type;
  return node;
}

/** The core schema's reading of a plain scalar. */
function resolvePlain(text: string): unknown {
  if (/^(?:null|Null|NULL|~)$/.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(text)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(text)) return false;
  if (/^[-+]?[0-9]+$/.test(text)) {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || Object.is(n, -0)) throw new Unsupported();
    return n;
  }
  if (/^[-+]?[0-9]+\.[0-9]+$/.test(text)) return Number(text);
  if (NUMBER_LIKE.test(text)) throw new Unsupported();
  return text;
}

/** After a value: nothing, or spaces then a comment. */
function expectEnd(rest: string): void {
  if (rest.trim() !== '' && !/^\s+#/.test(rest)) throw new Unsupported();
}

/** A quoted scalar at the start of `text` (at `offset`); returns it and the rest. */
function quoted(text: string, offset: number): [Scalar, string] {
  if (text[0] === '"') {
    const m = /^"((?:[^"\\]|\\.)*)"/.exec(text);
    if (!m || !JSON_ESCAPES.test(m[1] ?? '')) throw new Unsupported();
    const value = JSON.parse(m[0]) as string;
    return [
      scalar(value, offset, offset + m[0].length, Scalar.QUOTE_DOUBLE),
      text.slice(m[0].length),
    ];
  }
  const m = /^'((?:[^']|'')*)'/.exec(text);
  if (!m) throw new Unsupported();
  const value = (m[1] ?? '').replace(/''/g, "'");
  return [
    scalar(value, offset, offset + m[0].length, Scalar.QUOTE_SINGLE),
    text.slice(m[0].length),
  ];
}

/** A plain scalar in flow context (inside [] or {}), ending at `,` `]` or `}`. */
function flowPlain(text: string, offset: number): [Scalar, string] {
  const m = /^[^,[\]{}#:"']*/.exec(text);
  const raw = (m?.[0] ?? '').trimEnd();
  if (raw === '' || INDICATOR.test(raw) || /\s#/.test(raw)) throw new Unsupported();
  return [
    scalar(resolvePlain(raw), offset, offset + raw.length, Scalar.PLAIN),
    text.slice(raw.length),
  ];
}

function flowItem(text: string, offset: number): [Scalar, string] {
  return text[0] === '"' || text[0] === "'" ? quoted(text, offset) : flowPlain(text, offset);
}

/** `[a, "b"]` or `{ k: v }` on one line. */
function flow(text: string, offset: number): [Node, string] {
  const open = text[0];
  const close = open === '[' ? ']' : '}';
  const node = open === '[' ? new YAMLSeq() : new YAMLMap();
  let pos = 1;
  const skip = () => {
    while (text[pos] === ' ') pos++;
  };
  skip();
  if (text[pos] === close) {
    node.range = [offset, offset + pos + 1, offset + pos + 1];
    return [node, text.slice(pos + 1)];
  }
  for (;;) {
    skip();
    if (open === '[') {
      const [item, rest] = flowItem(text.slice(pos), offset + pos);
      (node as YAMLSeq).items.push(item);
      pos = text.length - rest.length;
    } else {
      const key = KEY.exec(text.slice(pos).replace(/:$/, ': '));
      if (!key?.[1]) throw new Unsupported();
      const keyNode = scalar(key[1], offset + pos, offset + pos + key[1].length, Scalar.PLAIN);
      pos += key[1].length + 1;
      skip();
      const [value, rest] = flowItem(text.slice(pos), offset + pos);
      const map = node as YAMLMap;
      if (map.items.some((p) => (p.key as Scalar).value === key[1])) throw new Unsupported();
      map.items.push(new Pair(keyNode, value));
      pos = text.length - rest.length;
    }
    skip();
    if (text[pos] === ',') {
      pos++;
      skip();
      if (text[pos] === close) throw new Unsupported();
      continue;
    }
    if (text[pos] !== close) throw new Unsupported();
    node.range = [offset, offset + pos + 1, offset + pos + 1];
    return [node, text.slice(pos + 1)];
  }
}

/** A value written on the same line as its key or dash. */
function inlineValue(text: string, offset: number): Node {
  let node: Node;
  let rest: string;
  if (text[0] === '[' || text[0] === '{') [node, rest] = flow(text, offset);
  else if (text[0] === '"' || text[0] === "'") [node, rest] = quoted(text, offset);
  else {
    if (INDICATOR.test(text)) throw new Unsupported();
    const comment = /\s#/.exec(text);
    const raw = (comment ? text.slice(0, comment.index) : text).trimEnd();
    if (/:(?: |$)/.test(raw)) throw new Unsupported();
    node = scalar(resolvePlain(raw), offset, offset + raw.length, Scalar.PLAIN);
    rest = text.slice(raw.length);
  }
  expectEnd(rest);
  return node;
}

class Reader {
  private index = 0;
  constructor(private readonly lines: Line[]) {}

  get line(): Line | undefined {
    return this.lines[this.index];
  }

  done(): boolean {
    return this.index >= this.lines.length;
  }

  private isItem(line: Line): boolean {
    return line.text === '-' || line.text.startsWith('- ');
  }

  block(indent: number): Node {
    const line = this.line;
    if (!line || line.indent !== indent) throw new Unsupported();
    return this.isItem(line) ? this.seq(indent) : this.map(indent);
  }

  /** The value after `key:` with nothing else on the line. */
  private nested(indent: number, colonEnd: number): Node {
    const next = this.line;
    if (next && next.indent > indent) return this.block(next.indent);
    if (next && next.indent === indent && this.isItem(next)) return this.seq(indent);
    return scalar(null, colonEnd, colonEnd, Scalar.PLAIN);
  }

  private afterInline(indent: number): void {
    this.index++;
    const next = this.line;
    if (next && next.indent > indent) throw new Unsupported(); // a continuation line
  }

  map(indent: number): YAMLMap {
    const map = new YAMLMap();
    let first: number | undefined;
    for (
      let line = this.line;
      line && line.indent === indent && !this.isItem(line);
      line = this.line
    ) {
      const m = KEY.exec(line.text);
      if (!m?.[1]) throw new Unsupported();
      const key = m[1];
      if (map.items.some((p) => (p.key as Scalar).value === key)) throw new Unsupported();
      const keyNode = scalar(key, line.start, line.start + key.length, Scalar.PLAIN);
      first ??= line.start;
      const after = line.text.slice(key.length + 1);
      let value: Node;
      if (after === '') {
        this.index++;
        value = this.nested(indent, line.start + key.length + 1);
      } else {
        const spaces = /^ +/.exec(after)?.[0].length ?? 0;
        if (after.slice(spaces) === '') throw new Unsupported();
        value = inlineValue(after.slice(spaces), line.start + key.length + 1 + spaces);
        this.afterInline(indent);
      }
      map.items.push(new Pair(keyNode, value));
    }
    const end = this.line;
    if (end && end.indent > indent) throw new Unsupported();
    map.range = [first ?? 0, first ?? 0, first ?? 0];
    return map;
  }

  seq(indent: number): YAMLSeq {
    const seq = new YAMLSeq();
    let first: number | undefined;
    for (
      let line = this.line;
      line && line.indent === indent && this.isItem(line);
      line = this.line
    ) {
      first ??= line.start;
      const spaces = /^ +/.exec(line.text.slice(1))?.[0].length ?? 0;
      const content = line.text.slice(1 + spaces);
      if (content === '') throw new Unsupported();
      const contentStart = line.start + 1 + spaces;
      if (KEY.test(content)) {
        // `- key: value` opens a mapping whose keys sit at the content column.
        const column = indent + 1 + spaces;
        this.lines[this.index] = { start: contentStart, indent: column, text: content };
        seq.items.push(this.map(column));
      } else {
        seq.items.push(inlineValue(content, contentStart));
        this.afterInline(indent);
      }
    }
    seq.range = [first ?? 0, first ?? 0, first ?? 0];
    return seq;
  }
}

/**
 * Parse `src` if it is in the subset. Returns the document's contents (null for a
 * document of comments only), or undefined when the full parser must be used. On
 * success the line starts are added to `lineCounter`.
 */
export function parseSimpleYaml(src: string, lineCounter: LineCounter): Node | null | undefined {
  if (src.includes('\t') || /\r(?!\n)/.test(src)) return undefined;
  const lines: Line[] = [];
  const starts: number[] = [0];
  let offset = 0;
  for (const raw of src.split('\n')) {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const indent = text.length - text.trimStart().length;
    const body = text.slice(indent);
    // Trailing spaces after a colon move where the full parser puts an empty value.
    if (/:[ \t]+$/.test(body)) return undefined;
    if (body !== '' && !body.startsWith('#')) {
      lines.push({ start: offset + indent, indent, text: body.trimEnd() });
    }
    offset += raw.length + 1;
    if (offset <= src.length) starts.push(offset);
  }
  try {
    const reader = new Reader(lines);
    const contents = lines.length === 0 ? null : reader.block(0);
    if (!reader.done()) return undefined;
    for (const s of starts) lineCounter.addNewLine(s);
    return contents;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}
