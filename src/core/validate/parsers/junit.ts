import type { OutputParser } from './types.js';
import { NameList, indexOf, int, lastMatch, matchAll } from './util.js';

/**
 * PHPUnit and JUnit-style summaries (Maven Surefire, Gradle):
 *   OK (5 tests, 10 assertions)
 *   Tests: 5, Assertions: 8, Failures: 1, Errors: 1.
 *   1) Tests\CalcTest::testAdd
 *   Tests run: 5, Failures: 1, Errors: 0, Skipped: 0
 */
export const junitParser: OutputParser = {
  name: 'phpunit',
  parse(output) {
    const ok = lastMatch(output, /^OK \((\d+) tests?, \d+ assertions?\)/m);
    const phpunit = lastMatch(output, /^Tests: (\d+), Assertions: \d+(.*)$/m);
    const surefire = matchAll(
      output,
      /Tests run: (\d+), Failures: (\d+), Errors: (\d+)(?:, Skipped: (\d+))?/m,
    );
    if (!ok && !phpunit && !surefire.length) return null;
    const names = new NameList();
    for (const m of output.matchAll(/^\d+\) ([\w\\.:$]+(?:::\w+)?(?: with data set .+)?)$/gm)) {
      names.add(m[1] ?? '');
    }
    // Surefire: "[ERROR]   CalcTest.testAdd:12 expected:<3> but was:<4>"
    for (const m of output.matchAll(/^\[ERROR\]\s{2,}(\w[\w.$]*\.\w+)(?::\d+)?\b/gm))
      names.add(m[1] ?? '');
    let total: number;
    let failed: number;
    let skipped = 0;
    if (ok) {
      total = int(ok[1]);
      failed = 0;
    } else if (phpunit) {
      const rest = phpunit[2] ?? '';
      const n = (word: string): number => int(new RegExp(`${word}: (\\d+)`).exec(rest)?.[1]);
      total = int(phpunit[1]);
      failed = n('Failures') + n('Errors');
      skipped = n('Skipped') + n('Incomplete') + n('Risky');
    } else {
      // Surefire prints per-class lines and then the total; the last one is the total.
      const last = surefire[surefire.length - 1];
      total = int(last?.[1]);
      failed = int(last?.[2]) + int(last?.[3]);
      skipped = int(last?.[4]);
    }
    return {
      tool: ok || phpunit ? 'phpunit' : 'junit',
      passed: Math.max(0, total - failed - skipped),
      failed,
      failedTests: names.names,
      failureStart: indexOf(
        output,
        /^There (?:was|were) \d+ (?:failures?|errors?):|^\[ERROR\] Failures:|^\[ERROR\] Tests run:.*FAILURE/m,
      ),
    };
  },
};
