import type { OutputParser } from './types.js';
import { NameList, indexOf, int, lastMatch } from './util.js';

/**
 * Mocha's spec reporter:
 *   3 passing (12ms)
 *   1 failing
 *
 *   1) Array
 *        #indexOf()
 *          returns -1 when absent:
 *      AssertionError …
 */
export const mochaParser: OutputParser = {
  name: 'mocha',
  parse(output) {
    const passing = lastMatch(output, /^[ \t]*(\d+) passing\b/m);
    if (!passing) return null;
    const failing = lastMatch(output, /^[ \t]*(\d+) failing\b/m);
    const names = new NameList();
    const start = failing ? failing.index + failing[0].length : -1;
    if (start >= 0) {
      const lines = output.slice(start).split('\n');
      for (let i = 0; i < lines.length; i++) {
        const head = /^(\s*)\d+\) (.+)$/.exec(lines[i] ?? '');
        if (!head) continue;
        const parts = [head[2] ?? ''];
        // The title continues on deeper-indented lines until one ends with ":".
        while (!(parts[parts.length - 1] ?? '').endsWith(':') && i + 1 < lines.length) {
          const next = lines[i + 1] ?? '';
          if (!next.trim() || next.search(/\S/) <= (head[1] ?? '').length) break;
          parts.push(next.trim());
          i++;
        }
        names.add(parts.join(' ').replace(/:$/, ''));
      }
    }
    return {
      tool: 'mocha',
      passed: int(passing[1]),
      failed: int(failing?.[1]),
      failedTests: names.names,
      failureStart: failing
        ? (indexOf(output.slice(failing.index), /^[ \t]+1\) /m) ?? 0) + failing.index
        : undefined,
    };
  },
};
