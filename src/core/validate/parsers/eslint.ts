import type { OutputParser } from './types.js';
import { indexOf, int, lastMatch, matchAll } from './util.js';

/**
 * ESLint's stylish formatter:
 *   /repo/src/a.js
 *     1:7   error    'unused' is assigned a value but never used  no-unused-vars
 *   ✖ 4 problems (3 errors, 1 warning)
 */
export const eslintParser: OutputParser = {
  name: 'eslint',
  parse(output) {
    const total = lastMatch(output, /^✖ \d+ problems? \((\d+) errors?, (\d+) warnings?\)/m);
    const rows = matchAll(output, /^[ \t]+\d+:\d+\s+(error|warning)\s{2,}\S/m);
    if (!total && !rows.length) return null;
    return {
      tool: 'eslint',
      errors: total ? int(total[1]) : rows.filter((r) => r[1] === 'error').length,
      warnings: total ? int(total[2]) : rows.filter((r) => r[1] === 'warning').length,
      failedTests: [],
      failureStart: indexOf(output, /^\S.*\n\s+\d+:\d+\s+(?:error|warning)\s/m),
    };
  },
};
