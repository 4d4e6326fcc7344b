import { existsSync } from 'node:fs';
import { loadConfig } from '../../config/load.js';
import { configSchema, type Config } from '../../config/schema.js';
import { InputError } from '../../errors.js';
import { attachWorktree, branchExists, openRepo, removeWorktree } from '../../git/index.js';
import { readAgentNotes } from '../../agent/index.js';
import { chooseSandbox } from '../../tools/index.js';
import type { Limits } from '../events.js';
import { acquireRunLock } from '../store/lock.js';
import { configFlags, type ImproveOptions } from '../options.js';
import { listRunIds, runPaths } from '../store/paths.js';
import { recoverWorkTree, resetForSetup } from './recover.js';
import {
  RESUMABLE,
  assertLockFree,
  latestResumableRun,
  limitWarnings,
  loadWorkSpecs,
  openEngine,
  openTools,
} from './services.js';
import { saveRunState, type RunSession } from '../session.js';
import { completeSetup, createWorkTree } from './setup.js';
import { loadState, readStateHeader, type RunState } from '../store/state.js';
import type { RunStopper } from '../stop.js';
import { ensureOnBranch } from './workspace.js';
import {
  baselineEvent,
  baselineStale,
  commandOrigins,
  establishBaseline,
} from '../../verdict/baseline-step.js';
import { establishRunIdentity } from './run-identity.js';
import { restoreBranchFromTip } from '../../git/run-refs.js';
import { cursorFromOldStep, reopenWorkflow } from '../interpreter/open-workflow.js';

/**
 * `mmm improve --resume [run-id]`: continue a run where it stopped. Finished work is not
 * redone, budgets and elapsed time carry over, and the work tree is brought back to the
 * last checkpoint (see recover.ts). A run whose process died (status still `running`,
 * its lock stale) is resumable like an interrupted one.
 */
async function pickRun(repoRoot: string, wanted: string | true): Promise<string> {
  const ids = await listRunIds(repoRoot);
  if (wanted !== true) {
    if (!ids.includes(wanted)) {
      throw new InputError(`no run ${wanted} in this repository`, {
        hint: ids.length
          ? `list the runs with \`mmm runs\` (latest: ${ids.at(-1)})`
          : 'start one with `mmm improve`',
      });
    }
    return wanted;
  }
  const latest = await latestResumableRun(repoRoot);
  if (latest) return latest;
  // The latest run's state cannot be read: it may be the one meant, so name it, not "none".
  const newest = ids.at(-1);
  // A run directory without state.json died before its first checkpoint: it never
  // started, so it is not the run meant (a new run is what to do).
  if (newest !== undefined && existsSync(runPaths(repoRoot, newest).state)) {
    try {
      await readStateHeader(runPaths(repoRoot, newest).state);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      throw new InputError(`no readable resumable run in this repository: ${error.message}`, {
        hint: error.hint ?? `see \`mmm improve --resume ${newest}\``,
      });
    }
  }
  throw new InputError('no resumable run in this repository', {
    hint: 'runs that completed or failed cannot be resumed; start a new one with `mmm improve`',
  });
}

/** The run's own configuration, with the flags given to this resume applied over it. */
function runConfig(state: RunState, flags: Config, options: ImproveOptions): Config {
  const snapshot = configSchema.safeParse(state.config);
  if (!snapshot.success) {
    throw new InputError(`the configuration recorded in run ${state.runId} is no longer valid`, {
      problems: snapshot.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      hint: 'this run was started by another version of mmm; start a new run',
    });
  }
  const config = snapshot.data;
  return {
    ...config,
    ...(options.model !== undefined ? { model: flags.model } : {}),
    ...(options.engine !== undefined ? { engine: flags.engine } : {}),
    ...(options.maxIterations !== undefined ? { max_iterations: flags.max_iterations } : {}),
    budget: {
      ...config.budget,
      ...(options.maxCost !== undefined ? { usd: flags.budget.usd } : {}),
      ...(options.maxTokens !== undefined ? { tokens: flags.budget.tokens } : {}),
      ...(options.maxTime !== undefined ? { time: flags.budget.time } : {}),
    },
  };
}

function resumedLimits(state: RunState, config: Config, options: ImproveOptions): Limits {
  const limits: Limits = { ...state.limits };
  if (options.maxIterations !== undefined) limits.maxIterations = config.max_iterations;
  if (options.maxCost !== undefined && config.budget.usd !== undefined)
    limits.usd = config.budget.usd;
  if (options.maxTokens !== undefined && config.budget.tokens !== undefined)
    limits.tokens = config.budget.tokens;
  if (options.maxTime !== undefined && config.budget.time !== undefined)
    limits.time = config.budget.time;
  return limits;
}

export async function prepareResume(
  options: ImproveOptions,
  stopper: RunStopper,
): Promise<RunSession> {
  const repo = await openRepo(options.cwd);
  const repoRoot = repo.mainRoot;
  // The flags are validated like a new run's (exit 2 on a bad value).
  const flags = (
    await loadConfig({
      cwd: options.cwd,
      flags: configFlags(options),
      ...(options.env ? { env: options.env } : {}),
    })
  ).config;
  const runId = await pickRun(repoRoot, options.resume ?? true);
  const paths = runPaths(repoRoot, runId);
  const state = await loadState(paths.state);
  if (!RESUMABLE.includes(state.status)) {
    throw new InputError(
      `run ${runId} has ${state.status === 'completed' ? 'completed' : 'finished'} (status ${state.status}); there is nothing to resume`,
      {
        hint: 'start a new run with `mmm improve`',
      },
    );
  }
  if (
    options.specIds?.length ||
    options.focus !== undefined ||
    options.inPlace ||
    options.workflow !== undefined ||
    options.vars
  ) {
    throw new InputError(
      '--spec, --focus, --workflow, --var and --in-place cannot change a run that is resumed',
      {
        hint: 'resume the run as it was started, or start a new one',
      },
    );
  }
  // The workflow file must be the one the run started with (exit 2), unless --force.
  const reopened = await reopenWorkflow(state, repoRoot, options.force === true);
  const config = runConfig(state, flags, options);
  chooseSandbox(config.tools); // tools.sandbox = "bwrap" without a working bwrap: exit 2
  await assertLockFree(repoRoot);
  const engine = await openEngine(config, options, paths);
  const lock = await acquireRunLock(repoRoot, { runId });
  try {
    let recreated = false;
    // A branch that lost commits mmm made (or was deleted) comes back from mmm's own refs.
    const restored = await restoreBranchFromTip(repoRoot, runId, state.branch);
    if (!(await branchExists(repoRoot, state.branch))) {
      if (state.iterations.some((it) => it.commit)) {
        throw new InputError(
          `the branch ${state.branch} of run ${runId} was deleted, and its commits with it`,
          {
            hint: 'start a new run with `mmm improve`',
          },
        );
      }
      // The process died before it made its branch: make it now.
      if (!state.inPlace) await removeWorktree(repoRoot, state.worktree);
      await createWorkTree(state, paths, repo.root);
      recreated = true;
    } else if (state.inPlace) {
      await ensureOnBranch(state.worktree, state.branch);
    } else {
      recreated = !existsSync(state.worktree);
      await attachWorktree(repoRoot, state.worktree, state.branch);
    }
    if (options.merge) state.plan = { ...state.plan, merge: true };
    state.limits = resumedLimits(state, config, options);
    state.config = config as unknown as Record<string, unknown>;
    state.status = 'running';
    delete state.stopReason;
    const session: RunSession = {
      state,
      paths,
      repoRoot,
      workDir: state.worktree,
      config,
      engine,
      tools: openTools(state.worktree, repoRoot, config),
      specDir: config.spec_dir,
      specs: [],
      commands: state.plan?.commands ?? [],
      agentNotes: undefined,
      workflow: reopened.workflow,
      stopper,
      lock,
      resumed: true,
      warnings: [
        ...(lock.warning ? [lock.warning] : []),
        ...(restored ? [restored] : []),
        ...reopened.warnings,
      ],
      sessionStart: Date.now(),
      elapsedBase: state.totals.elapsedMs,
    };
    try {
      session.warnings.push(
        ...(await establishRunIdentity(session, { gitDir: repo.gitDir, resumed: true })),
      );
      if (state.plan?.commands === undefined) {
        // Died during setup: start the tree afresh from the branch head and do it again.
        await resetForSetup(session);
        await completeSetup(session, repo.root);
      } else {
        session.warnings.push(...(await recoverWorkTree(session, recreated)));
        cursorFromOldStep(state, reopened.workflow);
        const { specs, problems } = await loadWorkSpecs(
          session.workDir,
          session.specDir,
          session.config.specs,
        );
        const forEach = reopened.workflow.forEach;
        if (problems.length > 0 && forEach?.kind === 'specs' && !forEach.propose) {
          throw new InputError(`the spec files on the run branch ${state.branch} do not parse`, {
            problems,
          });
        }
        session.specs = specs;
        session.agentNotes = await readAgentNotes(session.workDir);
        // The run branch moved since the baseline (not by this run): take it again.
        if (await baselineStale(session)) {
          await establishBaseline(
            session,
            commandOrigins(session.commands, config, {}),
            state.baseline ? 'retaken' : 'taken',
          );
        } else if (state.baseline) {
          session.baselineEvent = baselineEvent(state.baseline, 'recorded');
        }
      }
      session.warnings.push(...limitWarnings(config, engine), ...session.tools.warnings);
      await saveRunState(session);
    } catch (error) {
      await session.tools.dispose();
      throw error;
    }
    return session;
  } catch (error) {
    await lock.release();
    throw error;
  }
}
