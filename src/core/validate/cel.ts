import { Environment } from '@marcbachmann/cel-js';

/**
 * The CEL environment of `expr` checks (docs/validation.md). Each project command that
 * ran is bound to a variable; a command that did not run (disabled, not detected, not in
 * `validate.run`) is left unbound, and an expression referring to it fails with a message
 * saying so, rather than silently passing on zero counts.
 */
export const COMMAND_VARIABLES = ['tests', 'lint', 'typecheck', 'build'] as const;
export type CommandVariable = (typeof COMMAND_VARIABLES)[number];

export interface CelBindings {
  tests?: { ok: boolean; passed: number; failed: number; exit_code: number };
  lint?: { ok: boolean; errors: number; warnings: number; exit_code: number };
  typecheck?: { ok: boolean; errors: number; exit_code: number };
  build?: { ok: boolean; exit_code: number };
  checks: { name: string; ok: boolean; exit_code: number }[];
}

let shared: Environment | undefined;

function environment(): Environment {
  shared ??= new Environment()
    .registerVariable({
      name: 'tests',
      schema: { ok: 'bool', passed: 'int', failed: 'int', exit_code: 'int' },
    })
    .registerVariable({
      name: 'lint',
      schema: { ok: 'bool', errors: 'int', warnings: 'int', exit_code: 'int' },
    })
    .registerVariable({
      name: 'typecheck',
      schema: { ok: 'bool', errors: 'int', exit_code: 'int' },
    })
    .registerVariable({ name: 'build', schema: { ok: 'bool', exit_code: 'int' } })
    .registerType('Check', { fields: { name: 'string', ok: 'bool', exit_code: 'int' } })
    .registerVariable('checks', 'list<Check>');
  return shared;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}

/**
 * Parses and type-checks an expression without evaluating it (for `mmm specs validate`).
 * Returns null when it is valid, else a one-line reason.
 */
export function checkExpression(expr: string): string | null {
  try {
    const result = environment().check(expr);
    if (!result.valid) return firstLine(result.error?.message ?? 'invalid expression');
    if (result.type !== 'bool' && result.type !== 'dyn') {
      return `the expression must be true or false, but it is of type ${result.type}`;
    }
    return null;
  } catch (error) {
    return firstLine(error instanceof Error ? error.message : String(error));
  }
}

interface AstLike {
  op: string;
  args: unknown;
}

function isAst(value: unknown): value is AstLike {
  return typeof value === 'object' && value !== null && 'op' in value && 'args' in value;
}

/** Root identifiers the expression reads (`tests` in `tests.failed == 0`). */
function referencedIdentifiers(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) referencedIdentifiers(item, found);
  } else if (isAst(node)) {
    if (node.op === 'id' && typeof node.args === 'string') found.add(node.args);
    else referencedIdentifiers(node.args, found);
  }
  return found;
}

const toCel = (value: unknown): unknown => {
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
};

const WHY_MISSING: Record<CommandVariable, string> = {
  tests: 'the test command',
  lint: 'the lint command',
  typecheck: 'the typecheck command',
  build: 'the build command',
};
const CONFIG_NAME: Record<CommandVariable, string> = {
  tests: 'test',
  lint: 'lint',
  typecheck: 'typecheck',
  build: 'build',
};

export type ExprOutcome = { ok: true; value: boolean } | { ok: false; message: string };

/** Evaluates `expr` over the bindings. Never throws: every problem is a message. */
export function evaluateExpression(expr: string, bindings: CelBindings): ExprOutcome {
  const env = environment();
  let evaluate: (context: Record<string, unknown>) => unknown;
  let ast: unknown;
  try {
    const parsed = env.parse(expr);
    ast = parsed.ast;
    evaluate = (context) => parsed(context);
  } catch (error) {
    return { ok: false, message: `invalid expression: ${firstLine(errorMessage(error))}` };
  }
  const missing = COMMAND_VARIABLES.filter(
    (name) => referencedIdentifiers(ast).has(name) && bindings[name] === undefined,
  );
  if (missing.length) {
    const list = missing.map((name) => `\`${name}\``).join(', ');
    const what = missing.map((name) => WHY_MISSING[name]).join(' and ');
    const keys = missing.map((name) => `"${CONFIG_NAME[name]}"`).join(', ');
    return {
      ok: false,
      message:
        `${list} ${missing.length === 1 ? 'is' : 'are'} not available: ${what} did not run in this validation. ` +
        `Add ${keys} to validate.run (and set commands.${CONFIG_NAME[missing[0] ?? 'tests']} if it is not detected), or change the expression.`,
    };
  }
  const context: Record<string, unknown> = { checks: toCel(bindings.checks) };
  for (const name of COMMAND_VARIABLES) {
    if (bindings[name] !== undefined) context[name] = toCel(bindings[name]);
  }
  let value: unknown;
  try {
    value = evaluate(context);
  } catch (error) {
    return { ok: false, message: `evaluation failed: ${firstLine(errorMessage(error))}` };
  }
  if (typeof value !== 'boolean') {
    return {
      ok: false,
      message: `the expression must be true or false, but it evaluated to ${describe(value)}`,
    };
  }
  return { ok: true, value };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `the number ${value}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}
