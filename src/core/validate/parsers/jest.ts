import type { OutputParser } from './types.js';
import { NameList, countBefore, indexOf, lastMatch } from './util.js';

/**
 * Jest's default reporter:
 *   ● Calculator › adds numbers
 *   Tests:       1 failed, 4 passed, 5 total
 */
export const jestParser: OutputParser = {
  name: 'jest',
  parse(output) {
    const tests = lastMatch(output, /^Tests:\s+(.+?\d+ total)[ \t]*$/m);
    const suites = lastMatch(output, /^Test Suites:\s+(.+?\d+ total)[ \t]*$/m);
    if (!tests && !suites) return null;
    const names = new NameList();
    let currentFile = '';
    for (const line of output.split('\n')) {
      const file = /^[ \t]*FAIL\s+(\S+)/.exec(line);
      if (file) currentFile = file[1] ?? '';
      const bullet = /^[ \t]+● (.+)$/.exec(line);
      if (!bullet) continue;
      const title = bullet[1] ?? '';
      // "● Console" introduces captured console output, not a failure.
      if (title === 'Console') continue;
      // A suite that did not even load has no test names; name the file instead.
      names.add(/^Test suite failed to run/.test(title) ? currentFile || title : title);
    }
    const phrase = tests?.[1] ?? '';
    const failedSuites = countBefore(suites?.[1] ?? '', /failed/);
    return {
      tool: 'jest',
      passed: countBefore(phrase, /passed/),
      failed: countBefore(phrase, /failed/) || (tests ? 0 : failedSuites),
      failedTests: names.names,
      failureStart: indexOf(output, /^[ \t]+● (?!Console$)/m),
    };
  },
};
