import { mkdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { analyzeProject, summarizeAnalysis } from '../../analyze/index.js';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { ExitCode, InputError, MmmError } from '../../errors.js';
import { createRunWorktree, excludeMmmFiles, openRepo, type RepoInfo } from '../../git/index.js';
import { emptyUsage } from '../../llm/usage.js';
import type { Engine } from '../../engine/types.js';
import { readAgentNotes } from '../../agent/index.js';
import { assertValidSpecs, loadSpecs } from '../../specs/load.js';
import type { Spec } from '../../specs/model.js';
import { describeSpecDirs, firstSpecDir } from '../../specs/spec-dir.js';
import { chooseSandbox } from '../../tools/index.js';
import { projectCommandsToRun } from '../../validate/index.js';
import { BaselineError } from '../../verdict/baseline.js';
import { commandOrigins, discardNewRun, establishBaseline } from '../../verdict/baseline-step.js';
import { limitsFromConfig } from '../interpreter/limits.js';
import { acquireRunLock, type RunLock } from '../store/lock.js';
import { configFlags, type ImproveOptions } from '../options.js';
import { newRunId, runPaths, type RunPaths } from '../store/paths.js';
import { checkSpecIds, planSpecs } from '../interpreter/plan.js';
import {
  assertLockFree,
  latestResumableRun,
  hasSpecFiles,
  limitWarnings,
  loadWorkSpecs,
  openEngine,
  openTools,
} from './services.js';
import { saveRunState, type RunSession } from '../session.js';
import { STATE_VERSION, saveState, type RunState } from '../store/state.js';
import type { RunStopper } from '../stop.js';
import { createInPlaceBranch, importUncommittedSpecs } from './workspace.js';
import { establishRunIdentity } from './run-identity.js';
import { loadWorkflow } from '../../workflow/load.js';
import { expandWorkflowSteps } from '../interpreter/expand.js';
import type { Workflow } from '../../workflow/model.js';
import { planItems, proposes, workflowVars } from '../interpreter/items.js';

/**
 * Starting a new run. The preconditions are checked in this order, and a failing one
 * changes nothing: a git repository with a commit (exit 2), a valid configuration (2),
 * valid specs unless the run reviews (2), a clean checkout for --in-place (2), no live
 * run holding the lock (2), model credentials (4). Then the run gets its id, lock,
 * branch and worktree, its plan and its first checkpoint.
 */
export async function openRepoWithCommits(cwd: string): Promise<RepoInfo & { head: string }> {
  const repo = await openRepo(cwd);
  if (repo.head === null) {
    throw new InputError(`the repository at ${repo.root} has no commits yet`, {
      hint: 'mmm starts its work from a commit: run `git add -A && git commit -m "initial commit"` first',
    });
  }
  return { ...repo, head: repo.head };
}

interface Checked {
  repo: RepoInfo & { head: string };
  config: Config;
  configWarnings: string[];
  workflow: Workflow;
  vars: Record<string, string>;
}

async function checkInputs(options: ImproveOptions): Promise<Checked> {
  const repo = await openRepoWithCommits(options.cwd);
  const loaded = await loadConfig({
    cwd: options.cwd,
    flags: configFlags(options),
    ...(options.env ? { env: options.env } : {}),
  });
  const { config } = loaded;
  chooseSandbox(config.tools); // tools.sandbox = "bwrap" without a working bwrap: exit 2
  if (options.focus !== undefined && options.specIds?.length) {
    throw new InputError('--focus and --spec cannot be used together', {
      hint: '--spec works on existing specs; --focus asks Claude to review the code and write a new one',
    });
  }
  // `--focus` is the review workflow with its focus; without spec files, the default
  // (`specs`) becomes the review as well.
  let name = options.workflow ?? (options.focus !== undefined ? 'review' : config.workflow);
  if (options.workflow !== undefined && options.focus !== undefined) {
    throw new InputError('--focus and --workflow cannot be used together', {
      hint: `--focus runs the review workflow; use --workflow ${options.workflow} --var focus="${options.focus}"`,
    });
  }
  if (name === 'specs' && options.workflow === undefined) {
    if (!(await hasSpecFiles(repo.root, config.spec_dir))) name = 'review';
  }
  const workflow = await expandWorkflowSteps(
    await loadWorkflow(repo.root, name, options.cwd),
    repo.root,
  );
  const vars = workflowVars(workflow, options);
  if (workflow.forEach?.kind === 'specs' && workflow.forEach.propose === 'review') {
    if (options.specIds?.length) {
      throw new InputError(
        options.focus !== undefined
          ? '--focus and --spec cannot be used together'
          : `no spec files in ${describeSpecDirs(config.spec_dir)}, so --spec has nothing to select`,
        {
          hint:
            options.focus !== undefined
              ? '--spec works on existing specs; --focus asks Claude to review the code and write a new one'
              : 'write one with `mmm spec new "<title>"`, or run without --spec to let Claude propose work',
        },
      );
    }
  } else if (workflow.forEach?.kind === 'specs') {
    const specs = await loadSpecs(repo.root, config.spec_dir, {
      missingDependency: config.specs.missing_dependency,
      maxSize: config.specs.max_size,
    });
    assertValidSpecs(specs);
    if (options.specIds?.length) checkSpecIds(specs.specs, options.specIds);
    assertWorkToDo(specs.specs, options.specIds);
  } else if (options.specIds?.length) {
    throw new InputError(`--spec: workflow ${workflow.name} does not work on specs`, {
      hint: 'select specs only with a workflow that has `for_each: specs`',
    });
  }
  if ((options.inPlace || !config.git.worktree) && repo.dirty.length > 0) {
    throw new InputError(
      `${options.inPlace ? '--in-place' : 'working in place (git.worktree = false)'} needs a clean checkout, and ${repo.dirty.length} file${repo.dirty.length === 1 ? ' has' : 's have'} uncommitted changes (${repo.dirty.slice(0, 3).join(', ')}${repo.dirty.length > 3 ? ', …' : ''})`,
      {
        hint: 'commit or stash them, or work in a worktree (no --in-place, git.worktree = true): it leaves them alone',
      },
    );
  }
  return { repo, config, configWarnings: loaded.warnings, workflow, vars };
}

/**
 * No spec to work on (all done, or drafts): say so and change nothing, rather than make
 * an empty run branch. Exit 0: there is no error, only nothing to do.
 */
function assertWorkToDo(specs: Spec[], ids: string[] | undefined): void {
  if (planSpecs(specs, ids).order.length > 0) return;
  const count = (status: string) => specs.filter((s) => s.status === status).length;
  const parts = [`${count('done')} done`, `${count('draft')} draft`].filter(
    (p) => !p.startsWith('0 '),
  );
  const other = specs.length - count('done') - count('draft');
  if (other > 0) parts.push(`${other} failed or blocked`);
  throw new MmmError(
    `nothing to do: no spec is ready (${specs.length} specs: ${parts.join(', ')})`,
    ExitCode.Ok,
    {
      hint: 'write a new spec (mmm spec new "<title>"), set a spec\'s status to ready, or let Claude propose work: mmm improve --focus "<area>"',
    },
  );
}

export async function prepareNewRun(
  options: ImproveOptions,
  stopper: RunStopper,
): Promise<RunSession> {
  const { repo, config, configWarnings, workflow, vars } = await checkInputs(options);
  const repoRoot = repo.mainRoot;
  await assertLockFree(repoRoot);
  const runId = newRunId();
  const paths = runPaths(repoRoot, runId);
  // Credentials are checked before anything is created (exit 4).
  const engine = await openEngine(config, options, paths);
  let lock: RunLock;
  try {
    lock = await acquireRunLock(repoRoot, { runId });
  } catch (error) {
    // Another run took the lock meanwhile: leave no trace of this one.
    await rm(paths.dir, { recursive: true, force: true });
    throw error;
  }
  try {
    return await createRun({
      options,
      repo,
      config,
      workflow,
      vars,
      runId,
      paths,
      engine,
      lock,
      stopper,
      configWarnings,
    });
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function createRun(args: {
  options: ImproveOptions;
  repo: RepoInfo & { head: string };
  config: Config;
  workflow: Workflow;
  vars: Record<string, string>;
  runId: string;
  paths: RunPaths;
  engine: Engine;
  lock: RunLock;
  stopper: RunStopper;
  configWarnings: string[];
}): Promise<RunSession> {
  const { options, repo, config, workflow, runId, paths, engine, lock } = args;
  const repoRoot = repo.mainRoot;
  const branch = `${config.git.branch_prefix}${runId}`;
  const inPlace = options.inPlace === true || !config.git.worktree;
  const workDir = inPlace ? repo.root : paths.worktree;
  const warnings = [...args.configWarnings, ...(lock.warning ? [lock.warning] : [])];
  const earlier = await latestResumableRun(repoRoot);
  if (earlier) {
    warnings.push(
      `run ${earlier} stopped before it finished; this is a new run (continue that one with: mmm improve --resume ${earlier})`,
    );
  }

  const now = new Date().toISOString();
  const state: RunState = {
    version: STATE_VERSION,
    runId,
    createdAt: now,
    updatedAt: now,
    status: 'running',
    repoRoot,
    worktree: workDir,
    branch,
    baseBranch: repo.branch,
    baseCommit: repo.head,
    inPlace,
    workflow: workflow.name,
    workflowRun: {
      name: workflow.name,
      path: workflow.source.path,
      origin: workflow.source.origin,
      hash: workflow.source.hash,
      vars: args.vars,
      cursor: null,
    },
    config: config as unknown as Record<string, unknown>,
    specOrder: [],
    specs: {},
    iterations: [],
    totals: { usage: emptyUsage(), cost: 0, iterations: 0, commits: 0, elapsedMs: 0 },
    current: null,
    limits: limitsFromConfig(config),
    plan: {
      ...(options.specIds?.length ? { specIds: options.specIds } : {}),
      ...(options.focus !== undefined ? { focus: options.focus } : {}),
      ...(options.merge ? { merge: true } : {}),
    },
    ...(proposes(workflow) ? { review: { rounds: 0, empty: 0, finished: false } } : {}),
  };
  // The first checkpoint, before the branch exists: from here on the run is resumable
  // (resume creates the branch and worktree if the process died before it did).
  await saveState(paths.state, state);
  try {
    await createWorkTree(state, paths, repo.root);
  } catch (error) {
    // Nothing was done: leave no trace of the run.
    await rm(paths.dir, { recursive: true, force: true });
    throw error;
  }
  if (!inPlace && repo.dirty.length > 0) {
    warnings.push(
      `your checkout has uncommitted changes (${repo.dirty.length} file${repo.dirty.length === 1 ? '' : 's'}); ` +
        `they were left alone: this run starts from HEAD ${repo.head.slice(0, 12)} in ${paths.worktree}`,
    );
  }
  const session: RunSession = {
    state,
    paths,
    repoRoot,
    workDir,
    config,
    engine,
    tools: openTools(workDir, repoRoot, config),
    specDir: config.spec_dir,
    specs: [],
    commands: [],
    agentNotes: undefined,
    workflow,
    stopper: args.stopper,
    lock,
    resumed: false,
    warnings,
    sessionStart: Date.now(),
    elapsedBase: 0,
  };
  try {
    session.warnings.push(
      ...(await establishRunIdentity(session, { gitDir: repo.gitDir, resumed: false })),
    );
    await completeSetup(session, repo.root);
  } catch (error) {
    await session.tools.dispose();
    // A baseline that cannot run stops the run before any model call: leave no trace.
    if (error instanceof BaselineError) await discardNewRun(state, paths);
    throw error;
  }
  session.warnings.push(...limitWarnings(config, engine), ...session.tools.warnings);
  return session;
}

/** The run branch and its work tree: a worktree at HEAD, or the checkout on a new branch. */
export async function createWorkTree(
  state: RunState,
  paths: RunPaths,
  checkoutRoot: string,
): Promise<void> {
  await mkdir(paths.attempts, { recursive: true });
  if (state.inPlace) {
    await excludeMmmFiles(state.repoRoot);
    await createInPlaceBranch(checkoutRoot, state.branch);
  } else {
    await createRunWorktree(state.repoRoot, paths.worktree, state.branch, state.baseCommit);
  }
}

/**
 * What a run decides once, in its work tree, before the first attempt: the uncommitted
 * spec files of the checkout brought in, the project analysed (commands, prompt summary),
 * the specs selected and ordered. Recorded in the state (plan.commands marks it done), so
 * a resume after a crash here simply does it again.
 */
export async function completeSetup(session: RunSession, checkoutRoot: string): Promise<void> {
  const { state, config, workDir } = session;
  const forEach = session.workflow.forEach;
  const specs = forEach?.kind === 'specs' && !proposes(session.workflow);
  if (!state.inPlace && specs && checkoutRoot !== workDir) {
    const copied = await importUncommittedSpecs(checkoutRoot, workDir, config.spec_dir, {
      'Mmm-Run': state.runId,
    });
    if (copied.length > 0) {
      session.warnings.push(
        `copied ${copied.length} uncommitted spec file${copied.length === 1 ? '' : 's'} into the run (${copied.join(', ')}); your checkout is unchanged`,
      );
    }
  }
  const analysis = await analyzeProject(workDir, { cache: false });
  const commands = projectCommandsToRun(config, analysis.commands);
  const format = (config.commands.format ?? analysis.commands.format ?? '').trim();
  const projectCommands: Record<string, string> = {};
  for (const name of ['build', 'test', 'lint', 'typecheck'] as const) {
    projectCommands[name] = (config.commands[name] ?? analysis.commands[name] ?? '').trim();
  }
  const loaded = await loadWorkSpecs(workDir, config.spec_dir, config.specs);
  if (specs) {
    if (loaded.problems.length > 0) {
      throw new InputError('the spec files of the run do not parse', { problems: loaded.problems });
    }
    const plan = planSpecs(loaded.specs, state.plan?.specIds);
    state.specOrder = plan.order;
    state.specs = plan.specs;
    session.warnings.push(...plan.notes);
  } else if (forEach?.kind === 'specs') {
    await mkdir(resolve(workDir, firstSpecDir(config.spec_dir)), { recursive: true });
  } else {
    const items = await planItems(session);
    state.specOrder = items.order;
    state.specs = items.specs;
    if (state.workflowRun) state.workflowRun.items = items.texts;
  }
  assertCommandsForVars(session, projectCommands);
  state.plan = {
    ...state.plan,
    analysisSummary: summarizeAnalysis(analysis),
    commands,
    ...(format ? { formatCommand: format } : {}),
    projectCommands,
  };
  session.specs = loaded.specs;
  session.commands = commands;
  session.agentNotes = await readAgentNotes(workDir);
  // Before any model call, on the untouched run branch (core/verdict).
  await establishBaseline(
    session,
    commandOrigins(commands, config, analysis.commandSources),
    state.baseline ? 'retaken' : 'taken',
  );
  await saveRunState(session);
}

/**
 * A workflow variable whose default is the project's command (`test: '${run.test_command}'`)
 * needs that command: when there is none and `--var` gave no value, stop before the
 * baseline and any model call (exit 2, no run left behind), saying how to give one.
 */
function assertCommandsForVars(session: RunSession, commands: Record<string, string>): void {
  const given = session.state.workflowRun?.vars ?? {};
  const problems: string[] = [];
  for (const [name, value] of Object.entries(session.workflow.vars)) {
    if (given[name] !== undefined) continue;
    for (const match of value.matchAll(/\$\{\s*run\.(build|test|lint|typecheck)_command\s*\}/g)) {
      const command = match[1] as string;
      if (commands[command]) continue;
      problems.push(
        `workflow ${session.workflow.name}: vars.${name} is the project's ${command} command, and this project has none`,
      );
    }
  }
  if (problems.length === 0) return;
  throw new BaselineError('a command the workflow runs is not set', {
    problems,
    hint: `give it with --var NAME="command", or set it under [commands] in .mmm/config.toml`,
  });
}
