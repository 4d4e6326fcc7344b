import type { OutputParser } from './types.js';
import { indexOf, int, lastMatch, matchAll } from './util.js';

const CONCISE = /^\S[^:\n]*:\d+:\d+: [A-Z]{1,4}\d{1,4}\b/m;
const FULL = /^[A-Z]{1,4}\d{1,4} (?:\[\*\] )?.+\n\s*--> \S+:\d+:\d+/m;

/**
 * ruff (concise and full formats) and flake8:
 *   app/main.py:1:8: F401 [*] `os` imported but unused
 *   F401 [*] `os` imported but unused
 *    --> app/main.py:1:8
 *   Found 3 errors.
 * Every reported rule violation counts as an error: both tools exit non-zero on any.
 */
export const ruffParser: OutputParser = {
  name: 'ruff',
  parse(output) {
    const found = lastMatch(output, /^Found (\d+) errors?\./m);
    const concise = matchAll(output, CONCISE);
    const full = matchAll(output, FULL);
    if (!concise.length && !full.length) return null;
    const isRuff = Boolean(found) || full.length > 0 || /\[\*\]/.test(output);
    return {
      tool: isRuff ? 'ruff' : 'flake8',
      errors: found ? int(found[1]) : concise.length + full.length,
      warnings: 0,
      failedTests: [],
      failureStart: Math.min(
        indexOf(output, CONCISE) ?? Infinity,
        indexOf(output, FULL) ?? Infinity,
      ),
    };
  },
};
