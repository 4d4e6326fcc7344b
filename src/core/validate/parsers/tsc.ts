import type { OutputParser } from './types.js';
import { indexOf, int, lastMatch, matchAll } from './util.js';

/**
 * tsc, plain and --pretty:
 *   src/a.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.
 *   src/a.ts:1:7 - error TS2322: Type 'string' is not assignable to type 'number'.
 *   Found 3 errors in 2 files.
 */
export const tscParser: OutputParser = {
  name: 'tsc',
  parse(output) {
    const errors = matchAll(output, /\berror TS\d+:/m);
    if (!errors.length) return null;
    const found = lastMatch(output, /^Found (\d+) errors?\b/m);
    return {
      tool: 'tsc',
      errors: found ? int(found[1]) : errors.length,
      warnings: 0,
      failedTests: [],
      failureStart: indexOf(output, /^.*\berror TS\d+:/m),
    };
  },
};

/**
 * mypy:
 *   app/main.py:3: error: Incompatible types in assignment  [assignment]
 *   Found 2 errors in 1 file (checked 3 source files)
 */
export const mypyParser: OutputParser = {
  name: 'mypy',
  parse(output) {
    const found = lastMatch(
      output,
      /^Found (\d+) errors? in \d+ files? \(checked \d+ source files?\)/m,
    );
    const rows = matchAll(output, /^\S+\.pyi?:\d+(?::\d+)?: error: /m);
    if (!found && !rows.length) return null;
    return {
      tool: 'mypy',
      errors: found ? int(found[1]) : rows.length,
      warnings: 0,
      failedTests: [],
      failureStart: indexOf(output, /^\S+\.pyi?:\d+(?::\d+)?: error: /m),
    };
  },
};
