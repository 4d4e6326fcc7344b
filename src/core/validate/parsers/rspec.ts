import type { OutputParser } from './types.js';
import { NameList, countBefore, indexOf, lastMatch } from './util.js';

/**
 * RSpec:
 *   12 examples, 1 failure, 2 pending
 *   rspec ./spec/calc_spec.rb:8 # Calc adds numbers
 */
export const rspecParser: OutputParser = {
  name: 'rspec',
  parse(output) {
    const summary = lastMatch(output, /^(\d+ examples?, \d+ failures?.*)$/m);
    if (!summary) return null;
    const phrase = summary[1] ?? '';
    const total = countBefore(phrase, /examples?/);
    const failed = countBefore(phrase, /failures?/);
    const pending = countBefore(phrase, /pending/);
    const names = new NameList();
    for (const m of output.matchAll(/^rspec \S+ # (.+)$/gm)) names.add(m[1] ?? '');
    return {
      tool: 'rspec',
      passed: Math.max(0, total - failed - pending),
      failed,
      failedTests: names.names,
      failureStart: indexOf(output, /^Failures:[ \t]*$/m),
    };
  },
};
