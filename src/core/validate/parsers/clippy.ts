import type { OutputParser } from './types.js';
import { indexOf, int, lastMatch, matchAll } from './util.js';

const DIAGNOSTIC = /^(error|warning)(?:\[\w+\])?: (.+)\n\s*--> \S+:\d+:\d+/m;

/**
 * rustc and clippy diagnostics (cargo build, cargo check, cargo clippy):
 *   error: length comparison to zero
 *    --> src/lib.rs:3:38
 *   error: could not compile `rs` (lib) due to 2 previous errors
 *   warning: `rs` (lib) generated 3 warnings
 */
export const clippyParser: OutputParser = {
  name: 'clippy',
  parse(output) {
    const rows = matchAll(output, DIAGNOSTIC);
    const dueTo = lastMatch(output, /^error: could not compile .* due to (\d+) previous errors?/m);
    if (!rows.length && !dueTo) return null;
    const generated = matchAll(output, /^warning: .* generated (\d+) warnings?/m);
    return {
      tool: /clippy/.test(output) ? 'clippy' : 'rustc',
      errors: dueTo ? int(dueTo[1]) : rows.filter((r) => r[1] === 'error').length,
      warnings: generated.length
        ? generated.reduce((sum, m) => sum + int(m[1]), 0)
        : rows.filter((r) => r[1] === 'warning').length,
      failedTests: [],
      failureStart: indexOf(output, /^error(?:\[\w+\])?: /m) ?? indexOf(output, DIAGNOSTIC),
    };
  },
};
