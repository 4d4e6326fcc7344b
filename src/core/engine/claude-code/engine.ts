import type { AgentEvent, AgentResult } from '../../agent/index.js';
import type { Config } from '../../config/schema.js';
import type { Engine, EngineTask } from '../types.js';
import type { ClaudeBinary } from './binary.js';
import { reapLeftover } from './process.js';
import { runClaudeStep } from './step.js';

/**
 * The claude-code engine: each agent step is one `claude -p` session in the work tree.
 * A retry starts a fresh session with the feedback in its instructions, or continues the
 * failed attempt's session when claude_code.continue_session is set.
 */
export function claudeCodeEngine(args: {
  config: Config;
  binary: ClaudeBinary;
  env: NodeJS.ProcessEnv;
  runDir: string;
}): Engine {
  // A claude left by an mmm process that was killed (no sandbox to take it down).
  reapLeftover(args.runDir);
  const sessions = new Map<string, string>();
  return {
    name: 'claude-code',
    model: args.config.model,
    async *run(task: EngineTask): AsyncGenerator<AgentEvent, AgentResult> {
      const previous = args.config.claude_code.continue_session
        ? sessions.get(task.specId)
        : undefined;
      let sessionId: string | undefined;
      // A workflow step's own model and turn limit go to `claude` as --model/--max-turns.
      const config: Config = {
        ...args.config,
        model: task.model ?? args.config.model,
        max_turns: task.maxTurns ?? args.config.max_turns,
      };
      const step = runClaudeStep(
        { ...args, config, ...(previous ? { resumeSession: previous } : {}) },
        task,
      );
      try {
        for (;;) {
          const next = await step.next();
          if (next.done) return next.value;
          if (next.value.type === 'session') sessionId = next.value.id;
          yield next.value;
        }
      } finally {
        if (sessionId) sessions.set(task.specId, sessionId);
        await step.return(undefined as never);
      }
    },
  };
}
