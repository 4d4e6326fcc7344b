import { runAgent, type AgentEvent, type AgentResult } from '../agent/index.js';
import type { Config } from '../config/schema.js';
import type { LlmClient } from '../llm/types.js';
import type { Engine, EngineTask } from './types.js';

/** The API engine: mmm's own agent loop (core/agent) on the Messages API, unchanged. */
export function apiEngine(client: LlmClient, config: Config): Engine {
  return {
    name: 'api',
    model: client.model,
    run(task: EngineTask): AsyncGenerator<AgentEvent, AgentResult> {
      return runAgent({
        client,
        tools: task.tools.tools,
        toolContext: { ...task.tools.context, signal: task.signal },
        system: task.system,
        task: task.task,
        config,
        budget: task.budget,
        signal: task.signal,
        requestSignal: task.requestSignal,
        stopAfterTool: task.stopAfterTool,
      });
    },
  };
}
