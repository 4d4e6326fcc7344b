import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOutput } from '../../src/core/validate/parsers/index.js';
import { diagnosticReport } from '../../src/core/validate/reports/diagnostics.js';

const read = (name: string): string =>
  readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
const report = (name: string, root?: string) => {
  const output = read(name);
  return diagnosticReport(parseOutput(output), output, root);
};
const ids = (name: string, root?: string): string[] =>
  report(name, root).diagnostics.map((d) => `${d.severity} ${d.id}`);

// The same captured outputs parsers.test.ts reads (eslint 10, tsc 6, clippy: real runs).
describe('diagnostics with file:line identities', () => {
  it('eslint stylish, relative to the root', () => {
    expect(ids('eslint-fail.txt', '/tmp/samples/es')).toEqual([
      'error bad.js:1:no-unused-vars',
      'warning bad.js:2:no-console',
      'error bad.js:2:eqeqeq',
      'error bad.js:3:no-unused-vars',
    ]);
    expect(report('eslint-fail.txt').diagnostics[0]).toMatchObject({
      line: 1,
      rule: 'no-unused-vars',
      message: "'unused' is assigned a value but never used",
    });
  });

  it('tsc', () => {
    expect(ids('tsc-fail.txt')).toEqual([
      'error a.ts:1:TS2322',
      'error a.ts:2:TS2322',
      'error a.ts:3:TS2345',
    ]);
  });

  it('mypy, ruff, flake8', () => {
    expect(ids('mypy-fail.txt')).toEqual([
      'error app/main.py:3:assignment',
      'error app/main.py:9:arg-type',
    ]);
    expect(ids('ruff-fail.txt')).toEqual([
      'error app/main.py:1:F401',
      'error app/main.py:4:F841',
      'error app/util.py:10:E711',
    ]);
    expect(ids('flake8-fail.txt')).toEqual([
      'error app/main.py:1:F401',
      'error app/main.py:12:E501',
    ]);
  });

  it('clippy', () => {
    const r = report('clippy-fail.txt');
    expect(r).toMatchObject({ tool: 'clippy', identity: 'names', errors: 2 });
    expect(r.diagnostics.map((d) => d.id)).toEqual([
      'src/lib.rs:3:clippy::ptr_arg',
      'src/lib.rs:3:clippy::len_zero',
    ]);
  });

  it('counts only, when the output was cut or the format has no finding lines', () => {
    const cut = read('tsc-fail.txt').replace(
      /^a\.ts\(2.*$/m,
      '… [9000 characters of output omitted] …',
    );
    expect(diagnosticReport(parseOutput(cut), cut)).toMatchObject({
      identity: 'counts',
      diagnostics: [],
    });
    const summaryOnly = 'Found 3 errors in 1 file (checked 2 source files)\n';
    expect(diagnosticReport(parseOutput(summaryOnly), summaryOnly)).toMatchObject({
      tool: 'mypy',
      identity: 'counts',
      errors: 3,
    });
  });
});
