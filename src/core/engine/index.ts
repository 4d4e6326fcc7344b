import type { Config } from '../config/schema.js';
import { ExitCode, isMmmError } from '../errors.js';
import { createLlmClient } from '../llm/index.js';
import { apiEngine } from './api.js';
import { checkClaude, checkClaudeAuth, findClaude } from './claude-code/binary.js';
import { claudeCodeEngine } from './claude-code/engine.js';
import { InputError } from '../errors.js';
import type { Engine } from './types.js';

export type { Engine, EngineName, EngineTask } from './types.js';

export interface CreateEngineOptions {
  config: Config;
  env?: NodeJS.ProcessEnv;
  /** The run's directory (.mmm/runs/<id>): transcripts, the claude child's pid. */
  runDir: string;
  transcriptPath?: string;
  replayPath?: string;
  replayDelayMs?: number;
  /** Where relative paths in the config are resolved (the project). */
  cwd?: string;
}

/**
 * The engine config `engine` names, checked before a run creates anything: the API key
 * (exit 4), or a `claude` that is installed, recent enough (exit 2) and logged in (4).
 */
export async function createEngine(options: CreateEngineOptions): Promise<Engine> {
  const { config } = options;
  const env = options.env ?? process.env;
  if (config.engine === 'claude-code') {
    if (options.replayPath) {
      throw new InputError('--replay serves the API engine only', {
        hint: 'use engine = "api" (or --engine api) to replay a transcript',
      });
    }
    const binary = await checkClaude(config.claude_code.path, env, options.cwd ?? process.cwd());
    if (
      config.claude_code.permission_mode === 'bypassPermissions' &&
      process.getuid?.() === 0 &&
      env.IS_SANDBOX !== '1'
    ) {
      throw new InputError(
        'claude_code.permission_mode = "bypassPermissions", but Claude Code refuses it as root',
        {
          hint: 'use the default permission_mode = "dontAsk" (mmm allows what a step needs), or set IS_SANDBOX=1 if this machine is a disposable sandbox',
        },
      );
    }
    await checkClaudeAuth(binary, env);
    return claudeCodeEngine({ config, binary, env, runDir: options.runDir });
  }
  try {
    const clientFor = (model: string) =>
      createLlmClient({
        config: { ...config, model },
        env,
        ...(options.transcriptPath ? { transcriptPath: options.transcriptPath } : {}),
        ...(options.replayPath ? { replayPath: options.replayPath } : {}),
        ...(options.replayDelayMs !== undefined ? { replayDelayMs: options.replayDelayMs } : {}),
      });
    return apiEngine(clientFor(config.model), config, clientFor);
  } catch (error) {
    // No key, but Claude Code is installed: say how to use it instead.
    const claude = findClaude(config.claude_code.path, env, options.cwd ?? process.cwd());
    if (isMmmError(error) && error.exitCode === ExitCode.Provider && claude) {
      throw withClaudeHint(error, claude);
    }
    throw error;
  }
}

function withClaudeHint<E extends Error & { hint: string | undefined }>(
  error: E,
  claude: string,
): E {
  const hint = `${error.hint ? `${error.hint}; ` : ''}or run through your Claude Code login instead (${claude} is installed): mmm improve --engine claude-code, or engine = "claude-code" in .mmm/config.toml`;
  Object.defineProperty(error, 'hint', { value: hint });
  return error;
}
