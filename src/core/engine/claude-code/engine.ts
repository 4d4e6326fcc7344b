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
      const step = runClaudeStep(
        { ...args, ...(previous ? { resumeSession: previous } : {}) },
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
