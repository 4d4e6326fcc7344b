import { posix } from 'node:path';

/**
 * The `.git` entry of the checkout (a directory, or in a worktree a file pointing at the
 * repository) is mmm's link to the repository: removed or replaced, mmm's own git
 * commands would run in whatever repository encloses the directory. Commands that
 * delete, move, overwrite or change the mode of a path are refused when one of their
 * operands (or a `>` redirection) names `.git` or something inside it, however it is
 * spelled: `./.git`, `x/../.git`, `.git/`, `"$PWD"/.git`, `.g*`, `.[g]it`, `{.git,x}`.
 */

/** Programs that change the paths they are given (every operand is checked). */
const MUTATORS = new Set([
  'rm',
  'rmdir',
  'unlink',
  'mv',
  'cp',
  'ln',
  'install',
  'shred',
  'truncate',
  'tee',
  'chmod',
  'chown',
  'chgrp',
  'touch',
  'rsync',
  'cd',
  'pushd',
]);

/** Expands `{a,b}` alternatives (not nested ranges); enough to see `{.git,x}`. */
function expandBraces(word: string, depth = 0): string[] {
  const m = /\{([^{}]*,[^{}]*)\}/.exec(word);
  if (!m || depth > 8) return [word];
  const before = word.slice(0, m.index);
  const after = word.slice(m.index + m[0].length);
  return (m[1] ?? '')
    .split(',')
    .flatMap((alt) => expandBraces(`${before}${alt}${after}`, depth + 1));
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) re += '\\[';
      else {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Could this path component name `.git` (as a glob, a leading dot must be literal)? */
function componentIsDotGit(component: string): boolean {
  if (component === '.git') return true;
  if (!/[*?[]/.test(component)) return false;
  if (component.startsWith('*') || component.startsWith('?')) return false;
  try {
    return globToRegExp(component).test('.git');
  } catch {
    return true;
  }
}

/** True when `word`, as a path, is `.git` or inside a `.git`. */
export function namesDotGit(word: string): boolean {
  return expandBraces(word).some((alt) => {
    if (alt === '') return false;
    const normal = posix.normalize(alt);
    return normal.split('/').some(componentIsDotGit);
  });
}

/** find's -name/-path/-regex tests: unlike the shell, find's `*` matches a leading dot. */
function findTestMatchesDotGit(test: string, value: string): boolean {
  const paths = ['.git', './.git', './.git/x', 'x/.git', './x/.git/y'];
  const m = /^-i?(name|path|wholename|regex)$/.exec(test);
  if (!m) return false;
  try {
    if (m[1] === 'regex') return paths.some((p) => new RegExp(`^(?:${value})$`).test(p));
    const flags = test.startsWith('-i') ? 'i' : '';
    const re = new RegExp(globToRegExp(value).source, flags);
    return m[1] === 'name' ? re.test('.git') : paths.some((p) => re.test(p));
  } catch {
    return true;
  }
}

function operands(args: readonly string[]): string[] {
  const dash = args.indexOf('--');
  const before = dash === -1 ? args : args.slice(0, dash);
  const after = dash === -1 ? [] : args.slice(dash + 1);
  return [...before.filter((a) => !a.startsWith('-')), ...after];
}

const REFUSAL =
  "is not allowed: .git is mmm's link to the repository (in a worktree it is a file pointing at it); removing, moving or overwriting it would make mmm's git commands act on another repository. Leave .git alone; change files in the project instead.";

/** Why this command (argv after unwrap, plus its redirection targets) is refused. */
export function dotGitRule(
  argv: readonly string[],
  redirects: readonly string[],
): string | undefined {
  const target = redirects.find(namesDotGit);
  if (target !== undefined) return `writing to ${target} ${REFUSAL}`;
  const [name = '', ...args] = argv;
  if (MUTATORS.has(name)) {
    const hit = operands(args).find(namesDotGit);
    if (hit !== undefined) return `${name} ${hit} ${REFUSAL}`;
  }
  if (
    name === 'find' &&
    args.some((a) => a === '-delete' || a.startsWith('-exec') || a.startsWith('-ok'))
  ) {
    const starts = args.slice(
      0,
      Math.max(
        0,
        args.findIndex((a) => a.startsWith('-') || a === '(' || a === '!'),
      ),
    );
    const named = args.some((a, i) => findTestMatchesDotGit(a, args[i + 1] ?? ''));
    const hit = starts.find(namesDotGit);
    if (hit !== undefined || named) return `find … -delete/-exec on .git ${REFUSAL}`;
  }
  if (
    (name === 'sed' || name === 'perl') &&
    args.some((a) => /^-[a-zA-Z]*i/.test(a) || a.startsWith('--in-place'))
  ) {
    const hit = operands(args).find(namesDotGit);
    if (hit !== undefined) return `${name} -i ${hit} ${REFUSAL}`;
  }
  if (name === 'dd') {
    const of = args.find((a) => a.startsWith('of='));
    if (of && namesDotGit(of.slice(3))) return `dd ${of} ${REFUSAL}`;
  }
  return undefined;
}
