import type { OutputParser } from './types.js';
import { NameList, indexOf, matchAll } from './util.js';

/**
 * go test:
 *   --- FAIL: TestAdd (0.00s)
 *       --- FAIL: TestAdd/negative (0.00s)
 *   FAIL	example.com/calc	0.003s
 *   ok  	example.com/util	0.002s
 *   FAIL	example.com/broken [build failed]
 * Passing tests are only listed with -v; without it, passed counts the packages that
 * passed, which is all go prints about them.
 */
export const goParser: OutputParser = {
  name: 'go test',
  parse(output) {
    const pkgOk = matchAll(output, /^ok\s+\S+\s+(?:[\d.]+s|\(cached\))/m);
    const pkgFail = matchAll(output, /^FAIL\s+(\S+)\s+(?:[\d.]+s|\[(?:build|setup) failed\])/m);
    const testFail = matchAll(output, /^[ \t]*--- FAIL: (\S+)/m).map((m) => m[1] ?? '');
    const testPass = matchAll(output, /^[ \t]*--- PASS: (\S+)/m);
    if (!pkgOk.length && !pkgFail.length && !testFail.length) return null;
    // A parent test fails when one of its subtests fails; count and name only the leaves.
    const leaves = testFail.filter((n) => !testFail.some((o) => o.startsWith(`${n}/`)));
    const broken = pkgFail.filter((m) => m[0].includes('failed]')).map((m) => m[1] ?? '');
    const names = new NameList();
    for (const n of [...leaves, ...broken]) names.add(n);
    return {
      tool: 'go test',
      passed: testPass.length || pkgOk.length,
      failed: leaves.length + broken.length || pkgFail.length,
      failedTests: names.names,
      failureStart: indexOf(output, /^[ \t]*--- FAIL: |^#\s+\S+|^FAIL\s/m),
    };
  },
};
