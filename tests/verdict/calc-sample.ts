/**
 * The calc sample of issue 9: `calc.js` (add, sub) tested by `calc.test.js` with node:test,
 * `node --test` as the project's test command, and specs that ask for more functions,
 * each with its own check script.
 */
import { gitRepo, type FileTree } from '../support/tmp.js';
import { specFile, type SpecInput } from '../improve/helpers.js';

export const CALC_JS = `export const add = (a, b) => a + b;
export const sub = (a, b) => a - b;
`;

export const CALC_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { add, sub } from './calc.js';

test('add', () => assert.equal(add(1, 2), 3));
test('sub', () => assert.equal(sub(3, 2), 1));
`;

/** The unrelated failing test of situation (1). */
export const LEGACY_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';

test('legacy', () => assert.equal(1, 2));
`;

/**
 * A test that fails on every odd run and passes on every even one: the run count is
 * kept in the file named by $FLIP_FILE (outside the repository).
 */
export const FLIP_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

test('flip', () => {
  const file = process.env.FLIP_FILE;
  const runs = (file && existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0) + 1;
  if (file) writeFileSync(file, String(runs));
  assert.equal(runs % 2, 0, 'fails on odd runs');
});
`;

export function calcConfig(test = 'node --test', extra = ''): string {
  return `[commands]
test = "${test}"
lint = ""
typecheck = ""
build = ""
format = ""

[validate]
run = ["test"]
timeout = 60
${extra}`;
}

/** A check script: exits 0 when calc.js exports `fn` and fn(a, b) === expected. */
export function checkScript(fn: string, a: number, b: number, expected: number): string {
  return `import * as calc from '../calc.js';
const ok = typeof calc.${fn} === 'function' && calc.${fn}(${a}, ${b}) === ${expected};
console.log(ok ? '${fn} ok' : '${fn} missing or wrong');
process.exit(ok ? 0 : 1);
`;
}

export const MUL_SPEC: SpecInput = {
  id: 'mul',
  title: 'Add multiply',
  checks: ['run: node scripts/check-mul.mjs'],
};
export const DIV_SPEC: SpecInput = {
  id: 'div',
  title: 'Add divide',
  dependsOn: ['mul'],
  checks: ['run: node scripts/check-div.mjs'],
};

export function calcRepo(
  options: {
    specs?: SpecInput[];
    config?: string;
    extra?: FileTree;
  } = {},
): string {
  const specs = options.specs ?? [MUL_SPEC];
  const tree: FileTree = {
    'package.json': '{ "name": "calc", "type": "module", "private": true }\n',
    'calc.js': CALC_JS,
    'calc.test.js': CALC_TEST,
    'scripts/check-mul.mjs': checkScript('mul', 2, 3, 6),
    'scripts/check-div.mjs': checkScript('div', 6, 3, 2),
    '.mmm/config.toml': options.config ?? calcConfig(),
    ...options.extra,
  };
  specs.forEach((spec, i) => {
    tree[`specs/${String(i + 1).padStart(2, '0')}-${spec.id}.md`] = specFile(spec);
  });
  return gitRepo(tree);
}

export const CALC_WITH_MUL = `${CALC_JS}export const mul = (a, b) => a * b;
`;
export const CALC_WITH_DIV = `${CALC_WITH_MUL}export const div = (a, b) => a / b;
`;
/** The cheat: multiply added, add broken. */
export const CALC_CHEAT = `export const add = (a, b) => a - b;
export const sub = (a, b) => a - b;
export const mul = (a, b) => a * b;
`;
/** The cheat's test file: add's test deleted. */
export const CALC_TEST_CHEAT = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sub } from './calc.js';

test('sub', () => assert.equal(sub(3, 2), 1));
`;
