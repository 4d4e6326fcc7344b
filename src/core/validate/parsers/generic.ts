import type { OutputParser } from './types.js';
import { indexOf } from './util.js';

/**
 * The fallback for output no other parser recognizes: no counts (the caller derives
 * them from the exit code), and the failure region starts at the first line that looks
 * like an error, when there is one.
 */
export const genericParser: OutputParser = {
  name: 'generic',
  parse(output) {
    return {
      tool: 'generic',
      failedTests: [],
      failureStart: indexOf(
        output,
        /^.*(?:\berror\b|\bERROR\b|\bError:|\bFAIL(?:ED)?\b|Traceback \(most recent call last\)|panic:|Exception\b).*$/m,
      ),
    };
  },
};
