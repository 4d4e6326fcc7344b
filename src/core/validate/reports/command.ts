/**
 * Just enough shell to know what a project command runs: its words, when it is one
 * simple command (no pipes, lists, redirections, substitutions or subshells), so
 * reporter flags can be added to it without changing what else runs.
 */
export interface Word {
  /** The word with its quotes removed. */
  text: string;
  /** Where the word ends in the command text, to insert flags after it. */
  end: number;
}

/** The words of a simple command, or null when `command` is anything more. */
export function simpleCommand(command: string): Word[] | null {
  const words: Word[] = [];
  let current: string | null = null;
  let i = 0;
  const flush = (): void => {
    if (current !== null) words.push({ text: current, end: i });
    current = null;
  };
  while (i < command.length) {
    const c = command[i] ?? '';
    if (c === ' ' || c === '\t') {
      flush();
      i++;
    } else if (c === "'") {
      const close = command.indexOf("'", i + 1);
      if (close < 0) return null;
      current = (current ?? '') + command.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < command.length && command[j] !== '"') {
        if (command[j] === '$' || command[j] === '`') return null;
        if (command[j] === '\\' && j + 1 < command.length) j++;
        text += command[j] ?? '';
        j++;
      }
      if (j >= command.length) return null;
      current = (current ?? '') + text;
      i = j + 1;
    } else if (c === '\\') {
      current = (current ?? '') + (command[i + 1] ?? '');
      i += 2;
    } else if (/[;&|<>()`$\n\r]/.test(c)) {
      return null;
    } else {
      current = (current ?? '') + c;
      i++;
    }
  }
  flush();
  return words.length ? words : null;
}

const WRAPPERS: string[][] = [
  ['npx'],
  ['pnpm', 'exec'],
  ['pnpm', 'dlx'],
  ['yarn', 'exec'],
  ['bunx'],
  ['bun', 'x'],
  ['bundle', 'exec'],
  ['uv', 'run'],
  ['poetry', 'run'],
  ['pipenv', 'run'],
  ['pdm', 'run'],
  ['hatch', 'run'],
  ['env'],
  ['time'],
];

export const basename = (path: string): string => path.replace(/^.*[/\\]/, '');

/**
 * Index of the word that names the tool, past environment assignments and wrappers
 * (`npx vitest`, `bundle exec rspec`, `uv run pytest`, `python -m pytest`).
 */
export function toolIndex(words: readonly Word[]): number {
  let i = 0;
  for (;;) {
    const w = words[i]?.text ?? '';
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) {
      i++;
      continue;
    }
    const wrapper = WRAPPERS.find((p) => p.every((part, k) => words[i + k]?.text === part));
    if (wrapper) {
      i += wrapper.length;
      while ((words[i]?.text ?? '').startsWith('-')) i++;
      continue;
    }
    const base = basename(w);
    if (/^python[\d.]*$/.test(base) && words[i + 1]?.text === '-m') return i + 2;
    if (base === 'php' && words[i + 1] && !words[i + 1]?.text.startsWith('-')) return i + 1;
    return i;
  }
}

/** The script a package-manager command runs: `npm test`, `npm run x`, `yarn x`, `pnpm x`. */
export function packageScript(
  words: readonly Word[],
): { manager: 'npm' | 'yarn' | 'pnpm'; script: string; argsAt: number } | null {
  const [first, second, third] = words.map((w) => w.text);
  if (first === 'npm') {
    if (second === 'test' || second === 't') return { manager: 'npm', script: 'test', argsAt: 2 };
    if ((second === 'run' || second === 'run-script') && third)
      return { manager: 'npm', script: third, argsAt: 3 };
    return null;
  }
  if (first === 'yarn' || first === 'pnpm') {
    if (second === 'run' && third) return { manager: first, script: third, argsAt: 3 };
    if (second && !second.startsWith('-') && second !== 'exec' && second !== 'dlx')
      return { manager: first, script: second, argsAt: 2 };
  }
  return null;
}
