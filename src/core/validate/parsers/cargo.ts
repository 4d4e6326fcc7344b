import type { OutputParser } from './types.js';
import { NameList, indexOf, int, matchAll } from './util.js';

/**
 * cargo test (one "test result" line per test binary, summed):
 *   test tests::adds_wrong ... FAILED
 *   test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.19s
 */
export const cargoParser: OutputParser = {
  name: 'cargo test',
  parse(output) {
    const results = matchAll(output, /^test result: (?:ok|FAILED)\. (\d+) passed; (\d+) failed/m);
    if (!results.length) return null;
    const names = new NameList();
    for (const m of output.matchAll(/^test (\S+) \.\.\. FAILED[ \t]*$/gm)) names.add(m[1] ?? '');
    return {
      tool: 'cargo test',
      passed: results.reduce((sum, m) => sum + int(m[1]), 0),
      failed: results.reduce((sum, m) => sum + int(m[2]), 0),
      failedTests: names.names,
      failureStart: indexOf(output, /^failures:[ \t]*$/m),
    };
  },
};
