import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { didYouMean } from '../config/did-you-mean.js';
import { checkExpression } from '../validate/cel.js';
import { CEL_FIELDS, checkCelSyntax } from './cel.js';
import type { SpecCheck } from './model.js';
import { describeNode, scalarValue, type ProblemSink } from './yaml-context.js';

export const CHECK_KINDS = ['run', 'file_exists', 'file_contains', 'expr'] as const;
const OPTIONS: Record<(typeof CHECK_KINDS)[number], readonly string[]> = {
  run: ['expect_exit', 'timeout'],
  file_exists: [],
  file_contains: [],
  expr: [],
};
const KIND_HINT = 'each check is one of run, file_exists, file_contains, expr';

/** The `checks:` list. Problems go to `sink`; invalid entries are left out. */
export function parseChecks(node: unknown, sink: ProblemSink): SpecCheck[] {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) {
    sink.error(
      sink.nodePosition(node as Node),
      `checks must be a list, e.g. "- run: npm test" (got ${describeNode(node)})`,
    );
    return [];
  }
  const checks: SpecCheck[] = [];
  for (const item of node.items) {
    const check = isMap(item) ? parseCheck(item, sink) : undefined;
    if (!isMap(item)) {
      sink.error(
        sink.nodePosition(item as Node),
        `checks entry must be a mapping such as "- run: npm test" (got ${describeNode(item)}); ${KIND_HINT}`,
      );
    }
    if (check) checks.push(check);
  }
  return checks;
}

function keyName(pair: Pair): string {
  return String(scalarValue(pair.key) ?? '');
}

function parseCheck(map: YAMLMap, sink: ProblemSink): SpecCheck | undefined {
  const at = sink.nodePosition(map);
  const kinds = map.items.filter((p) => (CHECK_KINDS as readonly string[]).includes(keyName(p)));
  if (kinds.length === 0) {
    const first = map.items[0];
    const name = first ? keyName(first) : '';
    const guess = name ? didYouMean(name, CHECK_KINDS) : undefined;
    sink.error(
      first ? sink.nodePosition(first.key as Node, at) : at,
      `unknown check kind${name ? ` "${name}"` : ''}${guess ? ` (did you mean "${guess}"?)` : ''}: ${KIND_HINT}`,
    );
    return undefined;
  }
  if (kinds.length > 1) {
    sink.error(
      sink.nodePosition(kinds[1]?.key as Node, at),
      `a check has exactly one kind, found ${kinds.map(keyName).join(' and ')}: split it into two entries`,
    );
    return undefined;
  }
  const kindPair = kinds[0] as Pair;
  const kind = keyName(kindPair) as (typeof CHECK_KINDS)[number];
  const line = at.line;
  const value = kindPair.value as Node | null;
  const valueAt = sink.nodePosition(value, sink.nodePosition(kindPair.key as Node, at));
  const options = new Map<string, Pair>();
  for (const pair of map.items) {
    const name = keyName(pair);
    if (pair === kindPair) continue;
    if (OPTIONS[kind].includes(name)) options.set(name, pair);
    else {
      const guess = didYouMean(name, OPTIONS[kind]);
      sink.warning(
        sink.nodePosition(pair.key as Node, at),
        `unknown key "${name}" in a ${kind} check${guess ? ` (did you mean "${guess}"?)` : ''}; it is ignored`,
      );
    }
  }
  const text = scalarValue(value);
  if (kind === 'file_contains') return parseFileContains(value, sink, line, valueAt);
  if (typeof text !== 'string' || text.trim() === '') {
    const what = { run: 'a shell command', file_exists: 'a file path', expr: 'a CEL expression' }[
      kind
    ];
    sink.error(valueAt, `${kind} must be ${what} (got ${describeNode(value)})`);
    return undefined;
  }
  if (kind === 'file_exists') {
    return checkPath(text, sink, valueAt, 'file_exists') ? { kind, path: text, line } : undefined;
  }
  if (kind === 'expr') {
    const result = checkCelSyntax(text);
    const inline =
      isScalar(value) &&
      !text.includes('\n') &&
      (value.type === 'PLAIN' || value.type === 'QUOTE_DOUBLE' || value.type === 'QUOTE_SINGLE');
    const shift = (offset: number) =>
      inline && value.type !== 'PLAIN'
        ? { ...valueAt, column: valueAt.column + 1 + offset }
        : inline
          ? { ...valueAt, column: valueAt.column + offset }
          : valueAt;
    if (!result.ok) {
      sink.error(shift(result.offset), `invalid CEL expression: ${result.message}`);
      return undefined;
    }
    for (const v of result.unknownVariables) {
      sink.warning(
        shift(v.offset),
        `unknown variable "${v.name}" in expr${v.suggestion ? ` (did you mean "${v.suggestion}"?)` : ''}; known: tests, lint, typecheck, build, checks`,
      );
    }
    for (const f of result.unknownFields) {
      const fields = CEL_FIELDS[f.variable] ?? [];
      sink.warning(
        shift(f.offset),
        `${f.variable} has no field "${f.field}"${f.suggestion ? ` (did you mean "${f.suggestion}"?)` : ''}; its fields: ${fields.join(', ')}`,
      );
    }
    // Names are known: type-check with the environment the validation engine evaluates in,
    // so `tests.failed == "0"` or a non-boolean result is caught before a run.
    if (result.unknownVariables.length === 0 && result.unknownFields.length === 0) {
      const typeError = checkExpression(text);
      if (typeError) {
        sink.error(shift(0), `CEL expression does not type-check: ${typeError}`);
        return undefined;
      }
    }
    return { kind, expr: text, line };
  }
  return parseRunOptions(text, options, sink, line);
}

function parseRunOptions(
  run: string,
  options: Map<string, Pair>,
  sink: ProblemSink,
  line: number,
): SpecCheck | undefined {
  let ok = true;
  let expectExit = 0;
  let timeout: number | undefined;
  const exit = options.get('expect_exit');
  if (exit) {
    const v = scalarValue(exit.value);
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255) expectExit = v;
    else {
      ok = false;
      sink.error(
        sink.nodePosition(exit.value as Node),
        `expect_exit must be an exit code from 0 to 255 (got ${describeNode(exit.value)})`,
      );
    }
  }
  const time = options.get('timeout');
  if (time) {
    const v = scalarValue(time.value);
    if (typeof v === 'number' && v > 0 && Number.isFinite(v)) timeout = v;
    else {
      ok = false;
      sink.error(
        sink.nodePosition(time.value as Node),
        `timeout must be a positive number of seconds (got ${describeNode(time.value)})`,
      );
    }
  }
  if (!ok) return undefined;
  return timeout === undefined
    ? { kind: 'run', run, expectExit, line }
    : { kind: 'run', run, expectExit, timeout, line };
}

function parseFileContains(
  value: Node | null,
  sink: ProblemSink,
  line: number,
  at: { line: number; column: number },
): SpecCheck | undefined {
  if (!isMap(value)) {
    sink.error(
      at,
      `file_contains must be a mapping {path, pattern} (got ${describeNode(value)}), e.g. file_contains: { path: src/x.ts, pattern: "export function x" }`,
    );
    return undefined;
  }
  const path = value.get('path', true) as Node | undefined;
  const pattern = value.get('pattern', true) as Node | undefined;
  for (const pair of value.items) {
    const name = keyName(pair);
    if (name !== 'path' && name !== 'pattern') {
      const guess = didYouMean(name, ['path', 'pattern']);
      sink.warning(
        sink.nodePosition(pair.key as Node, at),
        `unknown key "${name}" in file_contains${guess ? ` (did you mean "${guess}"?)` : ''}; it is ignored`,
      );
    }
  }
  const pathText = scalarValue(path);
  const patternText = scalarValue(pattern);
  let ok = true;
  if (typeof pathText !== 'string' || pathText.trim() === '') {
    ok = false;
    sink.error(
      sink.nodePosition(path, at),
      `file_contains needs a "path" to a file (got ${describeNode(path)})`,
    );
  } else if (!checkPath(pathText, sink, sink.nodePosition(path, at), 'file_contains path'))
    ok = false;
  if (typeof patternText !== 'string' || patternText === '') {
    ok = false;
    sink.error(
      sink.nodePosition(pattern, at),
      `file_contains needs a "pattern" (a regular expression) (got ${describeNode(pattern)})`,
    );
  } else {
    try {
      new RegExp(patternText, 'm');
    } catch (error) {
      ok = false;
      const reason = (error as Error).message.replace(
        /^Invalid regular expression: \/.*\/[a-z]*: /s,
        '',
      );
      sink.error(
        sink.nodePosition(pattern, at),
        `file_contains pattern is not a valid regular expression: ${reason}`,
      );
    }
  }
  if (!ok) return undefined;
  return { kind: 'file_contains', path: pathText as string, pattern: patternText as string, line };
}

/** Check paths are relative to the repository root and stay inside it. */
function checkPath(
  path: string,
  sink: ProblemSink,
  at: { line: number; column: number },
  what: string,
): boolean {
  const normalized = path.replace(/\\/g, '/');
  if (normalized.startsWith('/') || /^[A-Za-z]:\//.test(normalized)) {
    sink.error(at, `${what} must be relative to the repository root (got "${path}")`);
    return false;
  }
  let depth = 0;
  for (const part of normalized.split('/')) {
    if (part === '..') depth--;
    else if (part !== '.' && part !== '') depth++;
    if (depth < 0) {
      sink.error(at, `${what} must stay inside the repository (got "${path}")`);
      return false;
    }
  }
  return true;
}
