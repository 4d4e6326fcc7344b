import type { OutputParser } from './types.js';
import { NameList, indexOf, int, lastMatch } from './util.js';

/**
 * TAP, as printed by `node --test` (its default reporter when not on a terminal) and by
 * tap/tape; also node:test's spec reporter summary ("ℹ tests 3", "ℹ fail 1").
 *   # Subtest: suite
 *       not ok 2 - breaks
 *   # pass 2
 *   # fail 1
 */
export const tapParser: OutputParser = {
  name: 'node:test',
  parse(output) {
    const pass = lastMatch(output, /^(?:#|ℹ) pass (\d+)[ \t]*$/m);
    const fail = lastMatch(output, /^(?:#|ℹ) fail (\d+)[ \t]*$/m);
    const isTap = /^TAP version \d+/m.test(output) || /^[ \t]*(?:not )?ok \d+ /m.test(output);
    if (!pass && !fail && !isTap) return null;
    if (!pass && !fail && !/^1\.\.\d+/m.test(output)) return null;

    const names = new NameList();
    const lines = output.split('\n');
    const stack: { indent: number; name: string }[] = [];
    let passed = 0;
    let failed = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const subtest = /^(\s*)# Subtest: (.+)$/.exec(line);
      if (subtest) {
        const indent = (subtest[1] ?? '').length;
        while (stack.length && (stack[stack.length - 1]?.indent ?? 0) >= indent) stack.pop();
        stack.push({ indent, name: subtest[2] ?? '' });
        continue;
      }
      const result = /^(\s*)(not )?ok \d+(?: - ([^#]*))?(#.*)?$/.exec(line);
      if (!result) continue;
      const indent = (result[1] ?? '').length;
      const title = (result[3] ?? '').trim();
      while (stack.length && (stack[stack.length - 1]?.indent ?? 0) > indent) stack.pop();
      const parents = stack.filter((s) => s.indent < indent).map((s) => s.name);
      if (stack.length && stack[stack.length - 1]?.indent === indent) stack.pop();
      // A suite whose children failed is not itself a failing test.
      const yaml = lines.slice(i + 1, i + 12).join('\n');
      const isSuite = /failureType: 'subtestsFailed'|type: 'suite'/.test(
        yaml.split(/^[ \t]*\.\.\.$/m)[0] ?? '',
      );
      if (isSuite) continue;
      if (result[2]) {
        failed++;
        names.add([...parents, title].join(' > '));
      } else if (!/#\s*(?:skip|todo)/i.test(result[4] ?? '')) passed++;
    }
    // node:test's spec reporter repeats the failures after "✖ failing tests:".
    const specFailures = indexOf(output, /^✖ failing tests:[ \t]*$/m);
    if (specFailures !== undefined) {
      for (const m of output.slice(specFailures).matchAll(/^✖ (.+?) \([\d.]+m?s\)[ \t]*$/gm)) {
        names.add(m[1] ?? '');
      }
    }
    return {
      tool: 'node:test',
      passed: pass ? int(pass[1]) : passed,
      failed: fail ? int(fail[1]) : failed,
      failedTests: names.names,
      failureStart: specFailures ?? indexOf(output, /^[ \t]*not ok \d+/m),
    };
  },
};
