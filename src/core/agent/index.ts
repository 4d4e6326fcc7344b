export { runAgent, TOOL_LOOP_REPEATS } from './loop.js';
export type { AgentBudget, AgentResult, RunAgentOptions } from './loop.js';
export { buildSystemPrompt, readAgentNotes, taskMessage, AGENT_NOTES_LIMIT } from './prompt.js';
export type { PromptParts } from './prompt.js';
export { compactToolResults, KEEP_RECENT_RESULTS } from './compaction.js';
export { declareTools, systemBlocks, withLatestBreakpoint } from './request.js';
export { reserveRequest, budgetReached, MIN_OUTPUT_TOKENS } from './budget.js';
export type { AgentEvent, AgentStopReason } from './events.js';
