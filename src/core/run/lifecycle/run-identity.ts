import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { git, gitLine } from '../../git/exec.js';
import { checkRunTree, pinRun, repairRunTree } from '../../git/identity.js';
import { pinOf, type WorkTreePin } from '../../git/pin.js';
import { readRef, runTipRef, setRef, specRef } from '../../git/run-refs.js';
import { isAncestor } from '../../git/worktree.js';
import { kindOf } from '../../tools/regular-file.js';
import type { RunEventBody } from '../events.js';
import {
  globalConfigFiles,
  removePlanted,
  snapshotRepoConfig,
  type RepoDirs,
} from './planted-config.js';
import { removeNestedRepos } from './nested-repos.js';
import type { RunSession } from '../session.js';
import { restoreFromCheckpoint } from '../steps/spec-done.js';

/**
 * The run's identity, checked around every attempt (issue 17): mmm's git works only in the
 * run's own work tree, on its own branch, from its last checkpoint; what the agent did to
 * git itself (a deleted `.git`, a detached or switched HEAD, a branch moved back, hooks
 * and config planted in the repository) is repaired before mmm touches the tree, and the
 * attempt fails with feedback naming it. Commits the agent made itself on the run branch
 * are undone with `reset --soft`, so their changes are validated as the attempt's.
 */

export function snapshotDir(session: RunSession): string {
  return join(session.paths.dir, 'repo-snapshot');
}

function plantedDir(session: RunSession): string {
  return join(session.paths.dir, 'planted');
}

async function commonDirOf(repoRoot: string): Promise<string> {
  return gitLine(repoRoot, ['rev-parse', '--path-format=absolute', '--git-common-dir']);
}

/**
 * What to watch. Your global git config only without the sandbox: inside it the agent
 * cannot write there, so a change to it during the run is yours, and is left alone.
 */
function repoDirs(pin: WorkTreePin, session: RunSession): RepoDirs {
  return {
    commonDir: pin.commonDir,
    runGitDir: pin.linked ? pin.gitDir : undefined,
    globalFiles: session.tools.sandbox ? [] : globalConfigFiles(),
  };
}

/** The last commit mmm made on the run branch (what the branch must contain). */
export async function lastCheckpoint(session: RunSession): Promise<string> {
  const { state } = session;
  // A lane's checkpoint: its tip ref (moved by each commit on the lane branch), else its start.
  if (session.lane)
    return (await readRef(session.repoRoot, session.lane.tipRef)) ?? session.lane.base;
  const tip = await readRef(session.repoRoot, runTipRef(state.runId));
  if (tip) return tip;
  const commits = state.iterations.map((it) => it.commit).filter((c): c is string => !!c);
  return commits.at(-1) ?? state.baseCommit;
}

/**
 * Pin the run's work tree (exec.ts then gives every git call there its own GIT_DIR and
 * GIT_WORK_TREE), repair it if it is not the run's, and snapshot the repository's hooks
 * and config. On resume, what an attempt killed mid-way planted is removed first.
 * Returns warnings.
 */
export async function establishRunIdentity(
  session: RunSession,
  options: { gitDir?: string; resumed: boolean },
): Promise<string[]> {
  const { state } = session;
  const warnings: string[] = [];
  let pin = await pinRun({
    repoRoot: session.repoRoot,
    commonDir: await commonDirOf(session.repoRoot),
    workTree: session.workDir,
    branch: state.branch,
    inPlace: state.inPlace,
    tipRef: runTipRef(state.runId),
    ...(options.gitDir ? { gitDir: options.gitDir } : {}),
  });
  if (!(await readRef(session.repoRoot, runTipRef(state.runId)))) {
    const head = await readRef(session.repoRoot, `refs/heads/${state.branch}`);
    if (head) await setRef(session.repoRoot, runTipRef(state.runId), head);
  }
  const checkpoint = await lastCheckpoint(session);
  const check = await checkRunTree(pin, checkpoint);
  if (check.problems.length > 0) {
    const repaired = await repairRunTree(pin, session.repoRoot, checkpoint);
    pin = repaired.pin;
    warnings.push(
      `the run's work tree was not as mmm left it (${check.problems.join('; ')}); ${repaired.actions.join(', ') || 'repaired'}`,
    );
  }
  if (options.resumed) {
    // A lane of a parallel run cut off in its agent step counts the same (shared hooks/config).
    const steps = [
      state.current,
      ...Object.values(state.parallel?.lanes ?? {}).map((l) => l.current),
    ];
    if (steps.some((c) => c?.step === 'agent' || c?.step === 'review')) {
      // Killed while the agent worked: what it planted is still in the repository.
      warnings.push(
        ...(await removePlanted(repoDirs(pin, session), snapshotDir(session), plantedDir(session))),
        ...(await removeNestedRepos(session.workDir, pin.commonDir, plantedDir(session))),
      );
    }
    warnings.push(...(await checkStateAgainstBranch(session)));
  }
  await snapshotRepoConfig(repoDirs(pin, session), snapshotDir(session));
  return warnings;
}

/** Every commit the state records must be on the branch. */
async function checkStateAgainstBranch(session: RunSession): Promise<string[]> {
  const { state } = session;
  const tip = await readRef(session.repoRoot, `refs/heads/${state.branch}`);
  if (!tip) return [];
  const warnings: string[] = [];
  for (const [id, s] of Object.entries(state.specs)) {
    if (!s.commit) continue;
    if (
      s.commit === tip ||
      (await isAncestor(session.repoRoot, s.commit, tip).catch(() => false))
    ) {
      continue;
    }
    warnings.push(
      `spec ${id} is recorded as done at ${s.commit.slice(0, 12)}, but the run branch ${state.branch} does not contain that commit`,
    );
  }
  return warnings;
}

/** Before an attempt: the tree must be the run's, at the last checkpoint. */
export async function checkBeforeAttempt(session: RunSession): Promise<string[]> {
  const pin = pinOf(session.workDir);
  if (!pin) return [];
  const checkpoint = await lastCheckpoint(session);
  const check = await checkRunTree(pin, checkpoint);
  if (check.problems.length === 0) return [];
  const repaired = await repairRunTree(pin, session.repoRoot, checkpoint);
  return [
    `the run's work tree was not as mmm left it (${check.problems.join('; ')}); ${repaired.actions.join(', ')}`,
  ];
}

export interface AfterAgent {
  /** Feedback for the model when it tampered with git; the attempt fails. */
  violation?: string;
}

/**
 * After the agent step, before mmm's git touches the tree: remove planted hooks and
 * config, repair the run's identity, fold the agent's own commits back into the working
 * tree, and bring back the spec file if the agent deleted it. Yields warnings.
 */
export async function* checkAfterAgent(
  session: RunSession,
  checkpoint: string,
  specFile?: string,
): AsyncGenerator<RunEventBody, AfterAgent> {
  const pin = pinOf(session.workDir);
  if (!pin) return {};
  const what: string[] = [];
  const planted = await removePlanted(
    repoDirs(pin, session),
    snapshotDir(session),
    plantedDir(session),
  );
  for (const message of planted) yield { type: 'warning', message };
  if (planted.length > 0) what.push("changed the repository's git hooks or configuration");

  const check = await checkRunTree(pin, checkpoint);
  if (check.problems.length > 0) {
    const repaired = await repairRunTree(pin, session.repoRoot, checkpoint);
    yield {
      type: 'warning',
      message: `the agent tampered with the run's git repository (${check.problems.join('; ')}); mmm ${repaired.actions.join(', ') || 'checked it'}`,
    };
    what.push(...check.problems);
  } else if (check.selfCommits.length > 0) {
    await git(session.workDir, ['reset', '--soft', '--quiet', checkpoint]);
    yield {
      type: 'warning',
      message: `the agent committed ${check.selfCommits.length === 1 ? 'a commit' : `${check.selfCommits.length} commits`} itself (${check.selfCommits.map((s) => s.slice(0, 12)).join(', ')}); undone with reset --soft, so the changes are validated as the attempt's`,
    };
  }
  // After the repair: the work tree is the run's again (or recreated without them).
  const nested = await removeNestedRepos(session.workDir, pin.commonDir, plantedDir(session));
  for (const message of nested) yield { type: 'warning', message };
  if (nested.length > 0) what.push('made a nested git repository (remove its .git)');
  if (specFile) {
    const restored = await restoreSpecFile(session.workDir, checkpoint, specFile);
    if (restored) yield { type: 'warning', message: restored };
  }
  if (what.length === 0) return {};
  return {
    violation:
      `mmm rejected this attempt because it changed git itself: ${what.join('; ')}. ` +
      'Git commands that move HEAD or branches, rewrite history, delete or edit .git, or set git ' +
      'config or hooks are not allowed. Leave your changes in the working tree: mmm checks and ' +
      'commits them.',
  };
}

/** An accepted spec's commit, kept under a ref mmm owns (in a lane: the lane's tip). */
export async function keepAccepted(
  session: RunSession,
  specId: string,
  sha: string,
): Promise<void> {
  if (session.lane) {
    // On its lane branch only: the run's refs move when the merge brings it onto the run branch.
    await setRef(session.repoRoot, session.lane.tipRef, sha);
    return;
  }
  await setRef(session.repoRoot, specRef(session.state.runId, specId), sha);
  await setRef(session.repoRoot, runTipRef(session.state.runId), sha);
}

/**
 * The spec file is mmm's: deleted by the agent, or replaced by something that is not a
 * regular file (a FIFO would hang the write-back, a link would make it write elsewhere,
 * and git cannot stage a FIFO), it is brought back from the checkpoint before validation.
 * Removing a link never touches its target. Returns the warning, if anything was done.
 */
async function restoreSpecFile(
  workDir: string,
  checkpoint: string,
  specFile: string,
): Promise<string | undefined> {
  const path = join(workDir, specFile);
  const info = await lstat(path).catch(() => undefined);
  if (info?.isFile()) return undefined;
  if (!(await restoreFromCheckpoint(workDir, checkpoint, specFile))) return undefined;
  return info
    ? `${specFile} had been replaced by a ${kindOf(info)} during the attempt; mmm restored it from the attempt's checkpoint (spec files are mmm's)`
    : `the agent deleted its spec file ${specFile}; mmm restored it (spec files are mmm's)`;
}
