import { vitestParser } from './vitest.js';
import { cargoParser } from './cargo.js';
import { clippyParser } from './clippy.js';
import { eslintParser } from './eslint.js';
import { genericParser } from './generic.js';
import { goParser } from './go.js';
import { jestParser } from './jest.js';
import { junitParser } from './junit.js';
import { mochaParser } from './mocha.js';
import { pytestParser } from './pytest.js';
import { rspecParser } from './rspec.js';
import { ruffParser } from './ruff.js';
import { tapParser } from './tap.js';
import { mypyParser, tscParser } from './tsc.js';
import type { OutputParser, ParsedOutput } from './types.js';

export type { OutputParser, ParsedOutput } from './types.js';
export { MAX_FAILED_TESTS } from './util.js';

/**
 * Tried in order; the first that recognizes the output wins. Test runners come first
 * (their summaries are the most specific), linters and type checkers next, and the
 * generic fallback last.
 */
export const PARSERS: readonly OutputParser[] = [
  vitestParser,
  jestParser,
  pytestParser,
  cargoParser,
  goParser,
  rspecParser,
  junitParser,
  mochaParser,
  tapParser,
  tscParser,
  mypyParser,
  eslintParser,
  clippyParser,
  ruffParser,
];

/** Recognizes the format of `output` (ANSI-free) and extracts counts and failing names. */
export function parseOutput(output: string): ParsedOutput {
  for (const parser of PARSERS) {
    const parsed = parser.parse(output);
    if (parsed) return parsed;
  }
  return genericParser.parse(output) ?? { tool: 'generic', failedTests: [] };
}
