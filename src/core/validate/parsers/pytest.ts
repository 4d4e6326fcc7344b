import type { OutputParser } from './types.js';
import { NameList, countBefore, indexOf } from './util.js';

const SUMMARY =
  /^=+ (.*\b(?:passed|failed|errors?|skipped|no tests ran|deselected)\b.*?) in [\d.]+s(?: \([^)]*\))? =+[ \t]*$/;

/**
 * pytest:
 *   FAILED tests/test_calc.py::test_add_negative - assert -3 == -4
 *   ========== 2 failed, 2 passed in 0.68s ==========
 */
export const pytestParser: OutputParser = {
  name: 'pytest',
  parse(output) {
    // Only short "=== … ===" lines can be the summary; testing just those keeps the
    // summary regex from backtracking through a huge line.
    let summary: RegExpExecArray | null = null;
    for (const line of output.matchAll(/^=+ [^\n]*$/gm)) {
      if (line[0].length > 400) continue;
      summary = SUMMARY.exec(line[0]) ?? summary;
    }
    if (!summary) return null;
    const phrase = summary[1] ?? '';
    const names = new NameList();
    for (const m of output.matchAll(/^(?:FAILED|ERROR) (\S+?)(?: - .*)?$/gm)) names.add(m[1] ?? '');
    if (names.size === 0) {
      // Without the short summary (-rN), fall back to the "____ name ____" headers.
      const failures = output.slice(
        indexOf(output, /^=+ (?:FAILURES|ERRORS) =+$/m) ?? output.length,
      );
      for (const m of failures.matchAll(/^_{3,} (.+?) _{3,}$/gm)) names.add(m[1] ?? '');
    }
    return {
      tool: 'pytest',
      passed: countBefore(phrase, /passed/),
      // Collection and fixture errors fail the run as surely as failed tests.
      failed: countBefore(phrase, /failed/) + countBefore(phrase, /errors?/),
      failedTests: names.names,
      failureStart: indexOf(output, /^=+ (?:FAILURES|ERRORS) =+$/m),
    };
  },
};
