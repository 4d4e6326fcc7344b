import { parse } from '@marcbachmann/cel-js';
import { didYouMean } from '../config/did-you-mean.js';

/**
 * The variables an `expr` check can use (docs/specs.md). The validation engine provides
 * their values; here we only check syntax and flag unknown names.
 */
export const CEL_VARIABLES = ['tests', 'lint', 'typecheck', 'build', 'checks'] as const;

/** Fields of each variable (see docs/validation.md). `checks` is a list, not a map. */
export const CEL_FIELDS: Record<string, readonly string[]> = {
  tests: ['ok', 'passed', 'failed', 'exit_code'],
  lint: ['ok', 'errors', 'warnings', 'exit_code'],
  typecheck: ['ok', 'errors', 'exit_code'],
  build: ['ok', 'exit_code'],
};

const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

export type CelSyntax =
  | {
      ok: true;
      unknownVariables: { name: string; offset: number; suggestion?: string }[];
      /** `tests.fails`: a known variable with a field it does not have. */
      unknownFields: { variable: string; field: string; offset: number; suggestion?: string }[];
    }
  | { ok: false; message: string; offset: number };

interface AstNode {
  op: string;
  args: unknown;
  pos?: number;
  start?: number;
}

function isAstNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && 'op' in value && 'args' in value;
}

/** Parse (never evaluate) a CEL expression. */
export function checkCelSyntax(expression: string): CelSyntax {
  let ast: unknown;
  try {
    ast = parse(expression).ast;
  } catch (error) {
    const e = error as { summary?: unknown; message?: unknown; range?: { start?: unknown } };
    const summary = typeof e.summary === 'string' ? e.summary : String(e.message);
    const start = typeof e.range?.start === 'number' ? e.range.start : 0;
    return { ok: false, message: summary, offset: Math.min(start, expression.length) };
  }
  const bound = new Set<string>();
  const ids: { name: string; offset: number }[] = [];
  const fields: { variable: string; field: string; offset: number }[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (!isAstNode(value)) return;
    if (value.op === 'id' && typeof value.args === 'string') {
      ids.push({ name: value.args, offset: value.start ?? value.pos ?? 0 });
      return;
    }
    if (value.op === '.' && Array.isArray(value.args)) {
      const [target, field] = value.args as [unknown, unknown];
      if (isAstNode(target) && target.op === 'id' && typeof field === 'string') {
        fields.push({ variable: String(target.args), field, offset: value.pos ?? 0 });
      }
    }
    if (value.op === 'rcall' && Array.isArray(value.args)) {
      const [name, , callArgs] = value.args as [unknown, unknown, unknown];
      const first: unknown = Array.isArray(callArgs) ? callArgs[0] : undefined;
      if (typeof name === 'string' && MACROS.has(name) && isAstNode(first) && first.op === 'id') {
        bound.add(String(first.args));
      }
    }
    walk(value.args);
  };
  walk(ast);
  const known: readonly string[] = CEL_VARIABLES;
  const unknownVariables = ids
    .filter((id) => !bound.has(id.name) && !known.includes(id.name))
    .map((id) => ({ ...id, suggestion: didYouMean(id.name, CEL_VARIABLES) }));
  const unknownFields = fields
    .filter((f) => !bound.has(f.variable) && CEL_FIELDS[f.variable])
    .filter((f) => !(CEL_FIELDS[f.variable] ?? []).includes(f.field))
    .map((f) => ({ ...f, suggestion: didYouMean(f.field, CEL_FIELDS[f.variable] ?? []) }));
  return { ok: true, unknownVariables, unknownFields };
}
