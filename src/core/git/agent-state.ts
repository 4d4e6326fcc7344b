import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { git, gitLine } from './exec.js';

/**
 * State the agent can leave in its worktree's own git directory — writable even in the
 * sandbox, since it holds the index — that would bend mmm's next commit or reset:
 *
 * - index flags: a file marked `--assume-unchanged` or `--skip-worktree` is skipped by
 *   `git add -A`, so the commit would hold whatever the agent staged behind it (not the
 *   validated, secret-scanned file), and `git reset --hard` refuses to run;
 * - a `MERGE_HEAD` (or cherry-pick, revert, squash state): `git commit` would take that
 *   commit as a parent — any commit, another branch's or one the agent wrote — and with
 *   it history nothing validated.
 *
 * Cleared before each of mmm's commits and resets in a run's work tree, and in the
 * scratch index of every read of "what `git add -A` would stage" (the secret scan, the
 * integrity guard), so what is scanned is what is committed: the work tree as validated.
 * Skip-worktree flags stay when the work tree is a sparse checkout (there they are git's).
 */

const COMMIT_STATE = [
  'MERGE_HEAD',
  'MERGE_MSG',
  'MERGE_MODE',
  'AUTO_MERGE',
  'CHERRY_PICK_HEAD',
  'REVERT_HEAD',
  'SQUASH_MSG',
];

/** Clears the flags in `dir`'s index (or the index named by `env`, a scratch index). */
export async function clearIndexFlags(dir: string, env?: Record<string, string>): Promise<void> {
  const opts = env ? { env } : {};
  const listing = await git(dir, ['ls-files', '-v', '-z'], opts);
  const assumed: string[] = [];
  const skipped: string[] = [];
  for (const entry of listing.stdout.split('\0')) {
    if (entry.length < 3) continue;
    const tag = entry[0] as string;
    const path = entry.slice(2);
    if (tag === 'S' || tag === 's') skipped.push(path);
    if (tag !== tag.toUpperCase()) assumed.push(path);
  }
  if (assumed.length > 0) {
    await git(dir, ['update-index', '-z', '--no-assume-unchanged', '--stdin'], {
      ...opts,
      input: assumed.join('\0') + '\0',
    });
  }
  if (skipped.length > 0) {
    const sparse = await git(dir, ['config', '--bool', 'core.sparseCheckout'], { okCodes: [1] });
    if (sparse.stdout.trim() === 'true') return;
    await git(dir, ['update-index', '-z', '--no-skip-worktree', '--stdin'], {
      ...opts,
      input: skipped.join('\0') + '\0',
    });
  }
}

/** Removes merge/cherry-pick state and the agent's index flags in `dir`'s git directory. */
export async function clearAgentGitState(dir: string): Promise<void> {
  const paths = await gitLine(dir, [
    'rev-parse',
    ...COMMIT_STATE.flatMap((n) => ['--git-path', n]),
  ]);
  for (const path of paths.split('\n').filter(Boolean)) {
    await rm(resolve(dir, path), { force: true, recursive: true });
  }
  await clearIndexFlags(dir);
}
