import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AgentEvent, AgentResult, AgentStopReason } from '../../agent/index.js';
import type { Config } from '../../config/schema.js';
import { ProviderError } from '../../errors.js';
import { budgetReached, sharedAsBudget } from '../../agent/budget.js';
import { totalTokens } from '../../llm/usage.js';
import { BASH_TOOL_NAME, EDIT_TOOL_NAME, REPORT_EVIDENCE_TOOL_NAME } from '../../tools/index.js';
import { createSandbox } from '../../tools/sandbox.js';
import { chooseSandbox } from '../../tools/sandbox-probe.js';
import { worktreeCeiling } from '../../tools/shell-env.js';
import type { EngineTask } from '../types.js';
import type { ClaudeBinary } from './binary.js';
import { permissionArgs, permissionSetup } from './permissions.js';
import { spawnClaude } from './process.js';
import { ClaudeStreamMapper } from './stream.js';

/**
 * One agent step through `claude -p`: the arguments, the child (sandboxed when mmm's
 * bubblewrap sandbox is available), its stream-json mapped to AgentEvents, and the
 * stops mmm imposes: a budget passed during the step, a deadline, Ctrl-C / SIGTERM.
 */

/** An argument above this many characters goes through a file (Linux caps one at 128 KiB). */
const ARG_LIMIT = 100_000;

export interface StepContext {
  config: Config;
  binary: ClaudeBinary;
  env: NodeJS.ProcessEnv;
  runDir: string;
  /** The Claude Code session to continue (claude_code.continue_session), if any. */
  resumeSession?: string;
}

/** What mmm's rules mean in Claude Code's words (the rules name mmm's own tools, tools/). */
export function engineNote(workDir: string): string {
  return `This session runs in Claude Code, so your tools are Claude Code's: Read, Edit and Write for files (use absolute paths under ${workDir}), Bash for commands, Glob and Grep to search. Where the rules above name \`${EDIT_TOOL_NAME}\` or \`${BASH_TOOL_NAME}\`, use these instead. The ${REPORT_EVIDENCE_TOOL_NAME} tool does not exist in this session: name the tests that prove each acceptance criterion in your final summary. git commands that change commits, branches or config, and writes outside ${workDir}, are denied by the session's permission rules.`;
}

function retryPrompt(system: string, task: string): string {
  return `mmm rolled back your previous attempt: the files are back at the checkpoint, so read them again before you edit. Your updated instructions, with why the attempt was rejected, follow.\n\n${system}\n\n${task}`;
}

/** Where Claude Code keeps its login, settings and sessions: writable inside the sandbox. */
function claudeHome(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME ?? homedir();
  const dir = env.CLAUDE_CONFIG_DIR ?? join(home, '.claude');
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    return [];
  }
  const file = join(home, '.claude.json');
  return env.CLAUDE_CONFIG_DIR || !existsSync(file) ? [dir] : [dir, file];
}

/**
 * The sandbox's /tmp is private: a claude installed under /tmp (a test's cache, an
 * unpacked download) is shown again there, read-only.
 */
function withBinary(command: { file: string; args: string[] }, binary: string): typeof command {
  let dir: string;
  try {
    dir = dirname(realpathSync(binary));
  } catch {
    return command;
  }
  if (dir !== '/tmp' && !dir.startsWith('/tmp/')) return command;
  const at = command.args.indexOf('--');
  if (at < 0) return command;
  const args = [...command.args];
  args.splice(at, 0, '--ro-bind', dir, dir);
  return { file: command.file, args };
}

export function claudeEnv(ctx: StepContext, workDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...ctx.env, ...worktreeCeiling(workDir) };
  if (!env.ANTHROPIC_BASE_URL && ctx.config.provider.base_url) {
    env.ANTHROPIC_BASE_URL = ctx.config.provider.base_url;
  }
  return env;
}

export function claudeArgs(ctx: StepContext, task: EngineTask): string[] {
  const { config } = ctx;
  const system = `${task.system}\n\n${engineNote(task.workDir)}`;
  const args = [
    '-p',
    '--output-format',
    'stream-json',
    '--verbose',
    '--include-partial-messages',
    '--model',
    config.model,
    '--max-turns',
    String(config.max_turns),
  ];
  if (ctx.resumeSession) args.push('--resume', ctx.resumeSession);
  else if (system.length > ARG_LIMIT) {
    const file = join(ctx.runDir, 'claude-code-system.md');
    writeFileSync(file, system);
    args.push('--append-system-prompt-file', file);
  } else args.push('--append-system-prompt', system);
  const protectedPaths = task.workDir === task.repoRoot ? [join(task.repoRoot, '.mmm')] : [];
  args.push(
    ...permissionArgs(
      permissionSetup({
        mode: config.claude_code.permission_mode,
        workDir: task.workDir,
        protectedPaths,
      }),
    ),
  );
  return args;
}

function budgetPassed(task: EngineTask, mapper: ClaudeStreamMapper): AgentStopReason | undefined {
  const { budget } = task;
  const tokens = (budget.spentTokens ?? 0) + totalTokens(mapper.total);
  if (budget.tokens !== undefined && tokens >= budget.tokens) return 'budget_tokens';
  if (budget.usd !== undefined && mapper.totalCost !== null) {
    if ((budget.spentUsd ?? 0) + mapper.totalCost >= budget.usd) return 'budget_usd';
  }
  if (budget.deadline !== undefined && Date.now() >= budget.deadline) return 'budget_time';
  if (budget.shared) {
    const spent = { usage: mapper.total, cost: mapper.totalCost };
    return budgetReached(sharedAsBudget(budget.shared, spent), spent);
  }
  return undefined;
}

const AUTH_TEXT = /not logged in|\/login|invalid api key|authentication|oauth token/i;

export async function* runClaudeStep(
  ctx: StepContext,
  task: EngineTask,
): AsyncGenerator<AgentEvent, AgentResult> {
  const mapper = new ClaudeStreamMapper(ctx.config.model, task.workDir, ctx.config.pricing);
  const end = (reason: AgentStopReason, error?: string): AgentResult => ({
    type: 'attempt_end',
    reason,
    summary: mapper.summary,
    turns: mapper.turn,
    usage: mapper.total,
    cost: mapper.totalCost,
    ...(error === undefined ? {} : { error }),
  });
  const early: AgentStopReason | undefined =
    task.signal.aborted || task.requestSignal.aborted || task.stopAfterTool()
      ? 'aborted'
      : budgetPassed(task, mapper);
  if (early) {
    const result = end(early);
    yield result;
    return result;
  }

  const argv = claudeArgs(ctx, task);
  const input = ctx.resumeSession ? retryPrompt(task.system, task.task) : task.task;
  const env = claudeEnv(ctx, task.workDir);
  // Inside mmm's sandbox when there is one (network on: Claude Code talks to its API).
  const choice = chooseSandbox({ ...ctx.config.tools, network: true }, env);
  const command = choice.bwrap
    ? withBinary(
        createSandbox({
          bwrap: choice.bwrap,
          workDir: task.workDir,
          repoRoot: task.repoRoot,
          network: true,
          env,
        }).wrap([ctx.binary.path, ...argv], { cwd: task.workDir, writable: claudeHome(env) }),
        ctx.binary.path,
      )
    : { file: ctx.binary.path, args: argv };
  const child = spawnClaude({
    file: command.file,
    argv: command.args,
    cwd: task.workDir,
    env,
    input,
    runDir: ctx.runDir,
    sandboxed: choice.bwrap !== undefined,
  });

  let stopWith: AgentStopReason | undefined;
  const stop = (reason: AgentStopReason, hard = false): void => {
    stopWith ??= reason;
    void child.stop(hard);
  };
  const onStop = (): void => stop('aborted');
  const onAbort = (): void => stop('aborted', true);
  task.requestSignal.addEventListener('abort', onStop, { once: true });
  task.signal.addEventListener('abort', onAbort, { once: true });
  const deadline = task.budget.deadline;
  const timer =
    deadline === undefined
      ? undefined
      : setTimeout(
          () => stop('budget_time'),
          Math.min(2 ** 31 - 1, Math.max(0, deadline - Date.now())),
        );
  try {
    const lines = createInterface({ input: child.child.stdout!, crlfDelay: Infinity });
    for await (const text of lines) {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue; // not a stream-json line (a warning Claude Code printed)
      }
      for (const event of mapper.map(line)) {
        yield event;
        if (event.type === 'usage' && !stopWith) {
          const passed = budgetPassed(task, mapper);
          if (passed) stop(passed);
        }
        if (event.type === 'tool_result' && !stopWith && task.stopAfterTool()) stop('aborted');
      }
    }
    const exit = await child.exited;
    let result: AgentResult;
    if (stopWith) result = end(stopWith);
    else {
      const outcome = mapper.stopReason();
      const r = mapper.result;
      const authFailed =
        r?.apiErrorStatus === 401 ||
        r?.apiErrorStatus === 403 ||
        (r?.isError === true && AUTH_TEXT.test(r.text));
      if (authFailed) {
        throw new ProviderError(
          `Claude Code could not authenticate: ${r?.text.trim() || 'HTTP 401'}`,
          {
            hint: 'log in with `claude auth login`, or check ANTHROPIC_API_KEY; then resume with `mmm improve --resume`',
          },
        );
      }
      if (outcome) result = end(outcome.reason, outcome.error);
      else {
        const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
        const tail = child.stderr().trim().split('\n').slice(-3).join(' ');
        result = end(
          'provider_error',
          `claude ${how} before it finished the step${tail ? `: ${tail}` : ''} (check \`claude -p hello\` in ${task.workDir}; resume with \`mmm improve --resume\`)`,
        );
      }
    }
    yield result;
    return result;
  } finally {
    if (timer) clearTimeout(timer);
    task.requestSignal.removeEventListener('abort', onStop);
    task.signal.removeEventListener('abort', onAbort);
    await child.stop(true);
  }
}
