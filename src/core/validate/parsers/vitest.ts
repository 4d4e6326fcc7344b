import type { OutputParser } from './types.js';
import { NameList, countBefore, indexOf, lastMatch } from './util.js';

/**
 * Vitest's default reporter:
 *   FAIL  src/math.test.ts > math > subtracts
 *   Test Files  1 failed (1)
 *        Tests  2 failed | 2 passed (4)
 */
export const vitestParser: OutputParser = {
  name: 'vitest',
  parse(output) {
    const tests = lastMatch(output, /^[ \t]*Tests\s{2,}(.+?)(?:\s+\(\d+\))?[ \t]*$/m);
    const files = lastMatch(output, /^[ \t]*Test Files\s{2,}(.+)$/m);
    if (!tests && !files) return null;
    if (!/^[ \t]*(?:RUN\s+v\d|Test Files\s)/m.test(output)) return null;
    const phrase = tests?.[1] ?? '';
    const names = new NameList();
    for (const m of output.matchAll(/^[ \t]*FAIL\s+(.+?)[ \t]*$/gm)) {
      const line = m[1] ?? '';
      // A file that failed to load: "FAIL  a.test.ts [ a.test.ts ]".
      names.add(line.replace(/\s*\[\s*[^\]]*\][ \t]*$/, ''));
    }
    return {
      tool: 'vitest',
      passed: countBefore(phrase, /passed/),
      // A file that fails to load counts no test; count the file so the failure shows.
      failed: countBefore(phrase, /failed/) || countBefore(files?.[1] ?? '', /failed/),
      failedTests: names.names,
      failureStart: indexOf(output, /^.*Failed (?:Tests|Suites) \d+/m),
    };
  },
};
