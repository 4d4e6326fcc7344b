import { unquotePath } from '../git/quoted-path.js';
import { CACHED_DIFF, withStagedScratch } from '../git/scratch-index.js';
import { git } from '../git/exec.js';
import { secretRedactor, type Redactor } from './redact.js';

/**
 * The last wall before a commit: a file the agent (or a check script) wrote with a
 * secret value in it must never become a git object on the run branch. The changes of
 * the work tree since `base` — exactly what `git add -A` would stage, untracked files
 * included — are diffed in a private index (the real index is left alone) and every
 * added line, and every file name, is searched for the secret values.
 */

export interface SecretFinding {
  /** Repository-relative path, itself redacted when the name holds a secret. */
  file: string;
  /** The variables whose values were found (never the values). */
  names: string[];
}

/** Findings in a unified diff (`-U0`, `b/` destination prefix): added lines and new names. */
export function scanDiff(diff: string, redactor: Redactor = secretRedactor()): SecretFinding[] {
  const found = new Map<string, Set<string>>();
  const note = (file: string, names: string[]): void => {
    if (!names.length) return;
    const key = redactor.redact(file);
    const set = found.get(key) ?? new Set<string>();
    for (const n of names) set.add(n);
    found.set(key, set);
  };
  let file = '';
  let inHunk = false;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      inHunk = false;
      file = '';
      // The name itself may hold a secret (it would be in the tree object).
      const names = redactor.find(line);
      if (names.length) note(unquotePath(line.slice(line.lastIndexOf(' b/') + 3)), names);
      continue;
    }
    if (!inHunk) {
      if (line.startsWith('+++ ')) {
        // git ends the header with a tab when the name has a space.
        const target = line.slice(4).replace(/\t$/, '');
        if (target !== '/dev/null') file = unquotePath(target).replace(/^b\//, '');
      } else if (line.startsWith('rename to ') || line.startsWith('copy to ')) {
        file = unquotePath(line.slice(line.indexOf(' to ') + 4));
      } else if (line.startsWith('@@')) {
        inHunk = true;
      }
      continue;
    }
    if (line.startsWith('@@')) continue;
    if (line.startsWith('+')) note(file || '(unknown file)', redactor.find(line));
  }
  return [...found].map(([f, names]) => ({ file: f, names: [...names].sort() }));
}

/** Secret values in what `git add -A` would stage in `dir`, compared with commit `base`. */
export async function findSecretsInChanges(
  dir: string,
  base: string,
  redactor: Redactor = secretRedactor(),
): Promise<SecretFinding[]> {
  if (redactor.empty) return [];
  return withStagedScratch(dir, async (env) => {
    const out = await git(
      dir,
      [
        '-c',
        'core.quotePath=false',
        ...CACHED_DIFF,
        '--text',
        '--no-renames',
        '--unified=0',
        '--src-prefix=a/',
        '--dst-prefix=b/',
        base,
      ],
      { env },
    );
    return scanDiff(out.stdout, redactor);
  });
}

/** Feedback for an attempt whose changes hold secret values; names files, never values. */
export function secretFeedback(findings: SecretFinding[]): string {
  const lines = findings.map(
    (f) => `- ${f.file}: the value of ${f.names.map((n) => `$${n}`).join(', ')}`,
  );
  return [
    'The checks passed, but the attempt was not committed: these files contain a secret value from the environment mmm runs in, and mmm never commits secrets:',
    ...lines,
    'Do not read, copy or print credentials (environment variables, /proc/*/environ) and never write them into files. Redo the work without them.',
  ].join('\n');
}
