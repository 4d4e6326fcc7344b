import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { EXIT_CODE_MEANING, ExitCode } from '../src/core/errors.js';
import { exitCodesHelp } from '../src/cli/exit-codes-help.js';
import { runMmm } from './support/cli.js';

const CODES = Object.values(ExitCode);

/** The codes in the first markdown table after `heading` in `file`, in order. */
function documentedCodes(file: string, heading: string): number[] {
  const text = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
  const start = text.indexOf(heading);
  expect(start, `${file} has no "${heading}"`).toBeGreaterThanOrEqual(0);
  const codes: number[] = [];
  let inTable = false;
  for (const line of text.slice(start).split('\n').slice(1)) {
    const row = /^\|\s*(\d+)\s*\|/.exec(line);
    if (row) codes.push(Number(row[1]));
    if (line.startsWith('|')) inTable = true;
    else if (inTable) break;
  }
  return codes;
}

describe('exit codes: one table (src/core/errors.ts)', () => {
  it('lists every code once, in order, within 90 columns, continuation lines aligned', () => {
    const help = exitCodesHelp();
    const lines = help.split('\n');
    expect(lines[0]).toMatch(/^Exit codes: 0 ok · /);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(90);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {12}\d/);
    const listed = [...help.matchAll(/(?:^Exit codes: |· | {12})(\d+) /gm)].map((m) =>
      Number(m[1]),
    );
    expect(listed).toEqual(CODES);
    for (const code of CODES) expect(help).toContain(`${code} ${EXIT_CODE_MEANING[code]}`);
  });

  it('rewords only the codes a command names', () => {
    const help = exitCodesHelp({ [ExitCode.Ok]: 'all done' });
    expect(help).toContain('0 all done · 1 some work failed');
    expect(help).not.toContain('0 ok');
    expect(help).toContain(`130 ${EXIT_CODE_MEANING[ExitCode.Interrupted]}`);
  });

  it('docs/exit-codes.md and the README document exactly these codes', () => {
    expect(documentedCodes('docs/exit-codes.md', '# Exit codes')).toEqual(CODES);
    expect(documentedCodes('README.md', '## Exit codes')).toEqual(CODES);
  });

  it('mmm --help and mmm improve --help print them from the table', async () => {
    const [top, improve] = await Promise.all([runMmm(['--help']), runMmm(['improve', '--help'])]);
    expect(top.exitCode).toBe(0);
    expect(top.stdout).toContain(exitCodesHelp());
    expect(improve.exitCode).toBe(0);
    expect(improve.stdout).toContain('Exit codes: 0 all done · 1 some specs failed · 2 bad input');
    expect(improve.stdout).toContain(`130 ${EXIT_CODE_MEANING[ExitCode.Interrupted]}`);
  });
});
