import { runAgent, type AgentEvent, type AgentResult } from '../agent/index.js';
import type { Config } from '../config/schema.js';
import type { LlmClient } from '../llm/types.js';
import type { Engine, EngineTask } from './types.js';

/**
 * The API engine: mmm's own agent loop (core/agent) on the Messages API, unchanged. A
 * workflow step with its own `model:` gets a client for that model (made once, by
 * `clientFor`: same provider, same transcript); its `max_turns:` overrides the config's.
 */
export function apiEngine(
  client: LlmClient,
  config: Config,
  clientFor: (model: string) => LlmClient = () => client,
): Engine {
  const clients = new Map<string, LlmClient>([[client.model, client]]);
  const clientOf = (model: string): LlmClient => {
    let found = clients.get(model);
    if (!found) {
      found = clientFor(model);
      clients.set(model, found);
    }
    return found;
  };
  return {
    name: 'api',
    model: client.model,
    run(task: EngineTask): AsyncGenerator<AgentEvent, AgentResult> {
      const model = task.model ?? client.model;
      const stepConfig = { ...config, model, max_turns: task.maxTurns ?? config.max_turns };
      return runAgent({
        client: clientOf(model),
        tools: task.tools.tools,
        toolContext: { ...task.tools.context, signal: task.signal },
        system: task.system,
        task: task.task,
        config: stepConfig,
        budget: task.budget,
        signal: task.signal,
        requestSignal: task.requestSignal,
        stopAfterTool: task.stopAfterTool,
      });
    },
  };
}
