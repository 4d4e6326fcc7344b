import { splitCommands } from './shell-words.js';

/**
 * How the command policy sees through programs that run other programs: wrappers
 * (`env`, `time -p`, `timeout 5`, `xargs`, `uv run` …) are peeled off a simple command,
 * and what a program runs from its arguments (`bash -c '…'`, `eval`, `find -exec`,
 * `env -S '…'`, `script -c`, `watch`) is returned so it is checked as well.
 */
export interface Unwrapped {
  /** The program (its basename) and its arguments, wrappers removed; [] when none. */
  argv: string[];
  /** `NAME=value` words that set the command's environment (leading ones and env's). */
  assignments: string[];
  /** Run by xargs: arguments are added at run time, so the argv seen here is incomplete. */
  openEnded: boolean;
  /** `command -v git`, `type git`: the program is looked up, not run. */
  lookupOnly: boolean;
  /** Command lines a wrapper runs from a string (`script -c '…'`, `flock -c '…'`). */
  scripts: string[];
}

interface Wrapper {
  /** Options that take the next word as their value. */
  flagsWithValue: string[];
  /** Operands before the command (`timeout 10 …`, `chroot /x …`). */
  positional?: number;
  /** Options whose value is a command line. */
  scriptFlags?: string[];
  /** Options whose value is split into words and put in front of the command (env -S). */
  splitFlags?: string[];
  openEnded?: boolean;
}

const WRAPPERS: Record<string, Wrapper> = {
  env: {
    flagsWithValue: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string'],
    splitFlags: ['-S', '--split-string'],
  },
  command: { flagsWithValue: [] },
  builtin: { flagsWithValue: [] },
  exec: { flagsWithValue: ['-a'] },
  coproc: { flagsWithValue: [] },
  nohup: { flagsWithValue: [] },
  time: { flagsWithValue: ['-f', '--format', '-o', '--output'] },
  nice: { flagsWithValue: ['-n', '--adjustment'] },
  ionice: { flagsWithValue: ['-c', '--class', '-n', '--classdata', '-p', '-P', '-u'] },
  timeout: { flagsWithValue: ['-s', '--signal', '-k', '--kill-after'], positional: 1 },
  stdbuf: { flagsWithValue: ['-i', '-o', '-e'] },
  xargs: {
    flagsWithValue: ['-I', '-i', '-n', '-P', '-L', '-l', '-d', '-E', '-e', '-s', '-a'],
    openEnded: true,
  },
  chronic: { flagsWithValue: [] },
  setsid: { flagsWithValue: [] },
  unbuffer: { flagsWithValue: [] },
  caffeinate: { flagsWithValue: ['-t', '-w'] },
  busybox: { flagsWithValue: [] },
  'dbus-run-session': { flagsWithValue: ['--config-file', '--dbus-daemon'] },
  'xvfb-run': {
    flagsWithValue: ['-n', '--server-num', '-s', '--server-args', '-f', '--auth-file', '-e'],
  },
  flock: {
    flagsWithValue: ['-w', '--timeout', '-E', '--conflict-exit-code'],
    positional: 1,
    scriptFlags: ['-c', '--command'],
  },
  faketime: { flagsWithValue: ['-m', '-p'], positional: 1 },
  chroot: { flagsWithValue: ['--userspec', '--groups'], positional: 1 },
  strace: { flagsWithValue: ['-o', '-e', '-p', '-s', '-u', '-E', '-P', '-a', '-b', '-I', '-S'] },
  ltrace: { flagsWithValue: ['-o', '-e', '-p', '-s', '-u', '-n', '-a', '-A', '-D', '-F', '-l'] },
  valgrind: { flagsWithValue: [] },
  torsocks: { flagsWithValue: ['-u', '-p', '-a', '-P'] },
  proxychains: { flagsWithValue: ['-f'] },
  proxychains4: { flagsWithValue: ['-f'] },
  npx: { flagsWithValue: ['-p', '--package'], scriptFlags: ['-c', '--call'] },
  bunx: { flagsWithValue: ['-p', '--package'] },
  pnpx: { flagsWithValue: [] },
  script: {
    flagsWithValue: ['-E', '--echo', '-O', '--log-out', '-I', '--log-in', '-T', '--log-timing'],
    scriptFlags: ['-c', '--command'],
  },
};

/** Package-manager runners: `uv run <command>`, `npm exec -- <command>` … */
const RUNNERS: Record<string, { verbs: string[]; wrapper: Wrapper }> = {
  uv: { verbs: ['run'], wrapper: { flagsWithValue: ['--with', '--python', '-p', '--project'] } },
  poetry: { verbs: ['run'], wrapper: { flagsWithValue: ['-C', '--directory', '-P'] } },
  pipenv: { verbs: ['run'], wrapper: { flagsWithValue: [] } },
  pdm: { verbs: ['run'], wrapper: { flagsWithValue: ['-p', '--project'] } },
  hatch: { verbs: ['run'], wrapper: { flagsWithValue: [] } },
  rye: { verbs: ['run'], wrapper: { flagsWithValue: [] } },
  conda: { verbs: ['run'], wrapper: { flagsWithValue: ['-n', '--name', '-p', '--prefix'] } },
  bundle: { verbs: ['exec'], wrapper: { flagsWithValue: [] } },
  npm: {
    verbs: ['exec', 'x'],
    wrapper: { flagsWithValue: ['-p', '--package', '-w', '--workspace'], scriptFlags: ['-c'] },
  },
  pnpm: { verbs: ['exec', 'dlx'], wrapper: { flagsWithValue: ['-C', '--dir', '--filter'] } },
  yarn: { verbs: ['exec', 'dlx'], wrapper: { flagsWithValue: ['-p', '--package'] } },
  bun: { verbs: ['x'], wrapper: { flagsWithValue: [] } },
};

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

export function isAssignment(word: string): boolean {
  return ASSIGNMENT.test(word);
}

export function basename(word: string): string {
  const parts = word.split('/');
  return parts[parts.length - 1] || word;
}

/** Peels wrappers and assignments off a simple command (see Unwrapped). */
export function unwrap(words: readonly string[]): Unwrapped {
  const out: Unwrapped = {
    argv: [],
    assignments: [],
    openEnded: false,
    lookupOnly: false,
    scripts: [],
  };
  let w = [...words];
  for (let guard = 0; guard < 32; guard++) {
    while (w.length && isAssignment(w[0] ?? '')) out.assignments.push(w.shift() ?? '');
    const name = basename(w[0] ?? '');
    if ((name === 'command' || name === 'type' || name === 'which') && isLookup(name, w)) {
      out.lookupOnly = true;
      break;
    }
    let wrapper = WRAPPERS[name];
    let skip = 1;
    const runner = RUNNERS[name];
    if (!wrapper && runner && runner.verbs.includes(w[1] ?? '')) {
      wrapper = runner.wrapper;
      skip = 2;
    }
    if (!wrapper || w.length < 2) break;
    if (wrapper.openEnded) out.openEnded = true;
    let i = skip;
    let operands = wrapper.positional ?? 0;
    const front: string[] = [];
    while (i < w.length) {
      const a = w[i] ?? '';
      if (a === '--') {
        i++;
        break;
      }
      const taken = flagValue(a, w[i + 1], wrapper.scriptFlags);
      const split = flagValue(a, w[i + 1], wrapper.splitFlags);
      if (taken) {
        out.scripts.push(taken.value);
        i += taken.consumed;
      } else if (split) {
        front.push(...splitCommands(split.value).flat());
        i += split.consumed;
      } else if (wrapper.flagsWithValue.includes(a)) i += 2;
      else if (a.startsWith('-') && a !== '-') i++;
      else if (name === 'env' && isAssignment(a)) {
        out.assignments.push(a);
        i++;
      } else if (operands > 0) {
        operands--;
        i++;
      } else break;
    }
    w = [...front, ...w.slice(i)];
  }
  if (!out.lookupOnly && w.length > 0) out.argv = [basename(w[0] ?? ''), ...w.slice(1)];
  return out;
}

/** The value of option `a` when it is one of `flags`: `-c X`, `-cX`, `--call=X`, `--call X`. */
function flagValue(
  a: string,
  next: string | undefined,
  flags: string[] | undefined,
): { value: string; consumed: number } | undefined {
  if (!flags) return undefined;
  if (flags.includes(a)) return { value: next ?? '', consumed: 2 };
  const eq = a.indexOf('=');
  if (a.startsWith('--') && eq > 0 && flags.includes(a.slice(0, eq))) {
    return { value: a.slice(eq + 1), consumed: 1 };
  }
  if (!a.startsWith('--') && a.length > 2 && flags.includes(a.slice(0, 2))) {
    return { value: a.slice(2), consumed: 1 };
  }
  // A cluster of short options ending in the flag: `script -qc 'cmd'`.
  if (/^-[a-zA-Z]{2,}$/.test(a) && flags.includes(`-${a.slice(-1)}`)) {
    return { value: next ?? '', consumed: 2 };
  }
  return undefined;
}

function isLookup(name: string, w: string[]): boolean {
  if (name !== 'command') return true;
  return w.slice(1).some((a) => /^-[a-zA-Z]*[vV]/.test(a));
}

export const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'rbash']);

/** What a program runs from its own arguments or stdin. */
export interface NestedRuns {
  /** Command lines (`bash -c '…'`, `eval …`, `watch '…'`). */
  scripts: string[];
  /** Commands given as words (`find … -exec git add {} ;`). */
  commands: string[][];
  /** A shell that reads its script from stdin (`… | bash`, `bash <<EOF`). */
  shellReadsStdin: boolean;
}

const SHELL_OPTS_WITH_VALUE = new Set(['-o', '+o', '-O', '+O', '--rcfile', '--init-file']);

/** Takes the argv of unwrap(). */
export function nestedRuns(argv: readonly string[]): NestedRuns {
  const [name = '', ...args] = argv;
  const out: NestedRuns = { scripts: [], commands: [], shellReadsStdin: false };
  if (name === 'eval') {
    out.scripts.push(args.join(' '));
  } else if (SHELLS.has(name)) {
    let command = false;
    let stdin = false;
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i] ?? '';
      if (a === '--' || a === '-') {
        i++;
        break;
      }
      if (SHELL_OPTS_WITH_VALUE.has(a)) i++;
      else if (/^[-+][a-zA-Z]+$/.test(a)) {
        if (a.startsWith('-') && a.includes('c')) command = true;
        if (a.startsWith('-') && a.includes('s')) stdin = true;
      } else if (!a.startsWith('--')) break;
    }
    const operand = args[i];
    if (command) out.scripts.push(operand ?? '');
    else if (operand === undefined || stdin) out.shellReadsStdin = true;
  } else if (name === 'find') {
    args.forEach((w, i) => {
      if (!['-exec', '-execdir', '-ok', '-okdir'].includes(w)) return;
      const rest = args.slice(i + 1);
      const end = rest.findIndex((x) => x === ';' || x === '+');
      out.commands.push(rest.slice(0, end === -1 ? rest.length : end));
    });
  } else if (name === 'watch') {
    const flagsWithValue = new Set(['-n', '--interval', '-d', '-q', '--equexit']);
    let i = 0;
    while (i < args.length && (args[i] ?? '').startsWith('-')) {
      i += flagsWithValue.has(args[i] ?? '') ? 2 : 1;
    }
    if (i < args.length) out.scripts.push(args.slice(i).join(' '));
  }
  return out;
}
