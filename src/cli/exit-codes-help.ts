import { EXIT_CODE_MEANING, ExitCode } from '../core/errors.js';

const LABEL = 'Exit codes: ';
/** Lines of a --help epilogue stay within this many columns. */
const WIDTH = 90;

/**
 * The `Exit codes:` lines of a --help, from the one table in src/core/errors.ts, every code
 * in order. `words` rewords a code for one command (`improve`: "0 all done").
 */
export function exitCodesHelp(words: Partial<Record<ExitCode, string>> = {}): string {
  const lines: string[] = [];
  let line = LABEL;
  for (const code of Object.values(ExitCode)) {
    const item = `${code} ${words[code] ?? EXIT_CODE_MEANING[code]}`;
    if (line === LABEL) line += item;
    else if (line.length + 3 + item.length <= WIDTH) line += ` · ${item}`;
    else {
      lines.push(line);
      line = ' '.repeat(LABEL.length) + item;
    }
  }
  lines.push(line);
  return lines.join('\n');
}
