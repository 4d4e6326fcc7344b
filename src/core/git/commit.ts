import { InputError } from '../errors.js';
import { git, gitLine, gitTest } from './exec.js';
import { isAncestor, listWorktrees } from './worktree.js';
import { pinOf } from './pin.js';
import { clearAgentGitState } from './agent-state.js';
import { resolve } from 'node:path';

/**
 * Commits, rollbacks and history of a run branch.
 *
 * Commits never run the user's pre-commit / commit-msg hooks (`--no-verify`): mmm validates
 * every attempt with the project's own checks before committing, hooks may prompt or need
 * tools a fresh worktree does not have, and a hook failing would turn a verified attempt
 * into a failed one. GPG signing is off (`commit.gpgsign=false`) because it can prompt.
 * No hook runs in any of mmm's git calls anyway (exec.ts points `core.hooksPath` at an
 * empty directory).
 */
export interface CommitInfo {
  sha: string;
  subject: string;
  trailers: Record<string, string>;
}

/** `-c user.name/-c user.email` for whatever identity git cannot determine on its own. */
async function identityFallback(dir: string): Promise<string[]> {
  const ok =
    (await gitTest(dir, ['var', 'GIT_AUTHOR_IDENT']).catch(() => false)) &&
    (await gitTest(dir, ['var', 'GIT_COMMITTER_IDENT']).catch(() => false));
  if (ok) return [];
  const get = async (key: string) =>
    (await git(dir, ['config', '--get', key], { okCodes: [1] })).stdout.trim();
  const args: string[] = [];
  if (!(await get('user.name'))) args.push('-c', 'user.name=mmm');
  if (!(await get('user.email'))) args.push('-c', 'user.email=mmm@localhost');
  return args;
}

function oneLine(value: string): string {
  return value.replace(/\s*\r?\n\s*/g, ' ').trim();
}

/** The message with a trailer paragraph (`Key: value` lines) appended. */
export function withTrailers(message: string, trailers: Record<string, string>): string {
  const body = message.replace(/\s+$/, '');
  const lines = Object.entries(trailers).map(([k, v]) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(k)) throw new Error(`invalid trailer key: ${k}`);
    return `${k}: ${oneLine(v)}`;
  });
  return lines.length ? `${body}\n\n${lines.join('\n')}\n` : `${body}\n`;
}

/**
 * Stage everything (`git add -A`, ignored files excluded) and commit with `trailers`.
 * Returns the new commit's sha. Nothing to commit → Error (an attempt that changed
 * nothing is not a success; check `hasChanges` first).
 */
export async function commitAll(
  dir: string,
  message: string,
  trailers: Record<string, string>,
): Promise<string> {
  return commitAllAs(dir, withTrailers(message, trailers));
}

/** commitAll with a message given whole (e.g. another commit's, trailers included). */
export async function commitAllAs(dir: string, fullMessage: string): Promise<string> {
  await clearAgentGitState(dir);
  const parent = (
    await git(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { okCodes: [1] })
  ).stdout.trim();
  await git(dir, ['add', '-A']);
  if (await gitTest(dir, ['diff', '--cached', '--quiet', '--no-ext-diff', '--no-textconv'])) {
    throw new Error(`nothing to commit in ${dir}`);
  }
  const identity = await identityFallback(dir);
  await git(
    dir,
    [
      ...identity,
      '-c',
      'commit.gpgsign=false',
      'commit',
      '--quiet',
      '--no-verify',
      '--cleanup=whitespace',
      '--file=-',
    ],
    { input: fullMessage },
  );
  const sha = await gitLine(dir, ['rev-parse', '--verify', 'HEAD^{commit}']);
  // The commit sits on what HEAD was, and on nothing else (no adopted merge parent).
  const parents = (await gitLine(dir, ['rev-parse', `${sha}^@`])).split('\n').filter(Boolean);
  if (parents.join(' ') !== parent) {
    throw new Error(
      `mmm's commit ${sha} in ${dir} has parents ${parents.join(', ') || 'none'}, not ${parent || 'none'}`,
    );
  }
  // A ref only mmm moves keeps every commit it made reachable, whatever happens to the branch.
  const tipRef = pinOf(resolve(dir))?.tipRef;
  if (tipRef) await git(dir, ['update-ref', tipRef, sha]);
  return sha;
}

/**
 * Back to `sha`: `reset --hard` plus `clean -fd`. Untracked files are removed; ignored
 * files (node_modules, build output) are kept.
 */
export async function resetTo(dir: string, sha: string): Promise<void> {
  await clearAgentGitState(dir);
  await git(dir, ['reset', '--hard', '--quiet', sha]);
  await git(dir, ['clean', '-fd', '--quiet', '--', ':/']);
}

/**
 * Move `branch` forward to `toCommit` when that is a fast-forward. When the branch is
 * checked out somewhere, that checkout is updated with `merge --ff-only`, which refuses to
 * overwrite uncommitted changes. Returns false (nothing changed) when the branch has
 * diverged or the checkout blocks the update.
 */
export async function fastForward(
  repoRoot: string,
  branch: string,
  toCommit: string,
): Promise<boolean> {
  const ref = `refs/heads/${branch}`;
  const current = (
    await git(repoRoot, ['rev-parse', '--verify', '--quiet', ref], { okCodes: [1] })
  ).stdout.trim();
  if (!current) throw new InputError(`branch ${branch} does not exist`);
  const target = await gitLine(repoRoot, ['rev-parse', '--verify', `${toCommit}^{commit}`]);
  if (current === target) return true;
  if (!(await isAncestor(repoRoot, current, target))) return false;
  const checkout = (await listWorktrees(repoRoot)).find((w) => w.branch === branch);
  if (checkout) {
    const r = await git(checkout.path, ['merge', '--ff-only', '--quiet', '--no-verify', target], {
      okCodes: [1, 128],
    });
    return r.exitCode === 0;
  }
  const r = await git(repoRoot, ['update-ref', ref, target, current], { okCodes: [1, 128] });
  return r.exitCode === 0;
}

/** Commits on HEAD after `base`, oldest first, with their trailers. */
export async function commitsSince(dir: string, base: string): Promise<CommitInfo[]> {
  const out = (
    await git(dir, [
      'log',
      '-z',
      '--reverse',
      '--no-color',
      '--format=%H%x00%s%x00%(trailers:only=true,unfold=true)',
      `${base}..HEAD`,
    ])
  ).stdout;
  const fields = out.split('\0');
  if (fields.length % 3 === 1 && fields[fields.length - 1] === '') fields.pop();
  const commits: CommitInfo[] = [];
  for (let i = 0; i + 2 < fields.length; i += 3) {
    commits.push({
      sha: (fields[i] ?? '').trim(),
      subject: fields[i + 1] ?? '',
      trailers: parseTrailers(fields[i + 2] ?? ''),
    });
  }
  return commits;
}

export function parseTrailers(block: string): Record<string, string> {
  const trailers: Record<string, string> = {};
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    trailers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return trailers;
}
