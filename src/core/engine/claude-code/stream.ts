import type { AgentEvent, AgentStopReason } from '../../agent/events.js';
import type { ModelPricing } from '../../config/schema.js';
import { costOf } from '../../llm/pricing.js';
import { addCost, addUsage, emptyUsage, type Cost, type Usage } from '../../llm/usage.js';
import { claudeResultDisplay, claudeToolSummary, resultText } from './tool-lines.js';

/**
 * Claude Code's `--output-format stream-json --verbose --include-partial-messages` lines
 * become mmm's AgentEvents: one turn per model message (request_start, text deltas, usage
 * from its message_start and message_delta), its text and tool calls from the `assistant`
 * lines, the tool results from the `user` lines, turn_end once the message is complete
 * and every call has its result. Subagent traffic (parent_tool_use_id set) is not a turn
 * of its own; its cost is in the final `result`, which sets the attempt's usage and cost.
 */

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function usageOf(raw: unknown): Usage {
  const u = obj(raw);
  return {
    input: num(u.input_tokens),
    output: num(u.output_tokens),
    cacheWrite: num(u.cache_creation_input_tokens),
    cacheRead: num(u.cache_read_input_tokens),
  };
}

/** The final `result` line, as the engine needs it. */
export interface ClaudeResult {
  subtype: string;
  isError: boolean;
  text: string;
  numTurns: number;
  costUsd: number | undefined;
  usage: Usage;
  apiErrorStatus: number | undefined;
  sessionId: string | undefined;
}

export class ClaudeStreamMapper {
  turn = 0;
  total: Usage = emptyUsage();
  totalCost: Cost = 0;
  summary = '';
  sessionId: string | undefined;
  result: ClaudeResult | undefined;
  private messages = 1;
  private current: { id: string; start: Usage; stopped: boolean; stopReason: string } | undefined;
  private readonly pending = new Map<string, { name: string; summary: string; started: number }>();

  constructor(
    private readonly model: string,
    private readonly workDir: string,
    private readonly pricing: Readonly<Record<string, ModelPricing>>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The events one stream-json line stands for (unknown lines: none). */
  map(line: Json): AgentEvent[] {
    const out: AgentEvent[] = [];
    if (line.type === 'system' && line.subtype === 'init' && typeof line.session_id === 'string') {
      this.sessionId = line.session_id;
      out.push({ type: 'session', engine: 'claude-code', id: line.session_id });
      return out;
    }
    if (line.parent_tool_use_id) return out; // a subagent's traffic
    if (line.type === 'stream_event') this.streamEvent(obj(line.event), out);
    else if (line.type === 'assistant') this.assistant(obj(line.message), out);
    else if (line.type === 'user') this.toolResults(obj(line.message), out);
    else if (line.type === 'result') this.finish(line, out);
    return out;
  }

  private startTurn(id: string, start: Usage, out: AgentEvent[]): void {
    this.closeTurn(out);
    this.turn += 1;
    this.current = { id, start, stopped: false, stopReason: 'end_turn' };
    out.push({
      type: 'request_start',
      turn: this.turn,
      model: this.model,
      messages: this.messages,
    });
  }

  private streamEvent(event: Json, out: AgentEvent[]): void {
    switch (event.type) {
      case 'message_start': {
        const message = obj(event.message);
        this.startTurn(String(message.id ?? ''), usageOf(message.usage), out);
        break;
      }
      case 'content_block_delta': {
        const delta = obj(event.delta);
        if (delta.type === 'text_delta' && typeof delta.text === 'string' && this.current) {
          out.push({ type: 'text_delta', turn: this.turn, text: delta.text });
        }
        break;
      }
      case 'message_delta': {
        if (!this.current) break;
        const delta = obj(event.delta);
        if (typeof delta.stop_reason === 'string') this.current.stopReason = delta.stop_reason;
        const usage = { ...this.current.start, output: num(obj(event.usage).output_tokens) };
        const cost = costOf(this.model, usage, this.pricing) ?? 0;
        this.total = addUsage(this.total, usage);
        this.totalCost = addCost(this.totalCost, cost);
        out.push({
          type: 'usage',
          turn: this.turn,
          usage,
          cost,
          total: this.total,
          totalCost: this.totalCost,
        });
        break;
      }
      case 'message_stop':
        if (this.current) {
          this.current.stopped = true;
          this.messages += 1;
          if (this.pending.size === 0 && this.current.stopReason !== 'tool_use')
            this.closeTurn(out);
        }
        break;
      default:
        break;
    }
  }

  private assistant(message: Json, out: AgentEvent[]): void {
    const id = String(message.id ?? '');
    // A message without stream events (Claude Code's own, e.g. an API error): a turn too.
    if (!this.current || this.current.id !== id) {
      this.startTurn(id, emptyUsage(), out);
      if (this.current) this.current.stopped = true;
      this.messages += 1;
    }
    const content = Array.isArray(message.content) ? message.content : [];
    for (const raw of content) {
      const block = obj(raw);
      if (block.type === 'text' && typeof block.text === 'string' && block.text.trim() !== '') {
        this.summary = block.text.trim();
        out.push({ type: 'text', turn: this.turn, text: block.text });
      } else if (block.type === 'tool_use') {
        const name = String(block.name ?? '');
        const callId = String(block.id ?? '');
        const summary = claudeToolSummary(name, block.input, this.workDir);
        this.pending.set(callId, { name, summary, started: this.now() });
        out.push({
          type: 'tool_call',
          turn: this.turn,
          id: callId,
          name,
          input: block.input,
          summary,
        });
      }
    }
  }

  private toolResults(message: Json, out: AgentEvent[]): void {
    const content = Array.isArray(message.content) ? message.content : [];
    let any = false;
    for (const raw of content) {
      const block = obj(raw);
      if (block.type !== 'tool_result') continue;
      any = true;
      const callId = String(block.tool_use_id ?? '');
      const call = this.pending.get(callId);
      this.pending.delete(callId);
      const ok = block.is_error !== true;
      const summary = call?.summary ?? 'tool';
      out.push({
        type: 'tool_result',
        turn: this.turn,
        id: callId,
        name: call?.name ?? 'tool',
        ok,
        display: claudeResultDisplay(summary, ok, resultText(block.content)),
        durationMs: call ? Math.round(this.now() - call.started) : 0,
      });
    }
    if (any) this.messages += 1;
    if (any && this.pending.size === 0 && this.current?.stopped) this.closeTurn(out);
  }

  /** turn_end for the open turn, once. */
  private closeTurn(out: AgentEvent[]): void {
    if (!this.current) return;
    out.push({ type: 'turn_end', turn: this.turn, stopReason: this.current.stopReason });
    this.current = undefined;
  }

  private finish(line: Json, out: AgentEvent[]): void {
    this.closeTurn(out);
    const usage = usageOf(line.usage);
    const costUsd = typeof line.total_cost_usd === 'number' ? line.total_cost_usd : undefined;
    this.result = {
      subtype: String(line.subtype ?? ''),
      isError: line.is_error === true,
      text: typeof line.result === 'string' ? line.result : '',
      numTurns: num(line.num_turns),
      costUsd,
      usage,
      apiErrorStatus: typeof line.api_error_status === 'number' ? line.api_error_status : undefined,
      sessionId: typeof line.session_id === 'string' ? line.session_id : this.sessionId,
    };
    // The attempt's usage and cost are Claude Code's own totals (subagents included):
    // the difference to what the turns reported comes as one more usage event.
    const diff: Usage = {
      input: Math.max(0, usage.input - this.total.input),
      output: Math.max(0, usage.output - this.total.output),
      cacheWrite: Math.max(0, usage.cacheWrite - this.total.cacheWrite),
      cacheRead: Math.max(0, usage.cacheRead - this.total.cacheRead),
    };
    const costDiff =
      costUsd === undefined || this.totalCost === null ? 0 : costUsd - this.totalCost;
    if (diff.input + diff.output + diff.cacheWrite + diff.cacheRead > 0 || costDiff !== 0) {
      this.total = addUsage(this.total, diff);
      this.totalCost = costUsd ?? this.totalCost;
      out.push({
        type: 'usage',
        turn: Math.max(1, this.turn),
        usage: diff,
        cost: costDiff,
        total: this.total,
        totalCost: this.totalCost,
      });
    }
    if (this.result.text.trim() && !this.result.isError) this.summary = this.result.text.trim();
  }

  /** Why the step ended, from the result line (undefined: there was none). */
  stopReason(): { reason: AgentStopReason; error?: string } | undefined {
    const r = this.result;
    if (!r) return undefined;
    if (r.subtype === 'error_max_turns') return { reason: 'max_turns' };
    if (r.subtype === 'success' && !r.isError) return { reason: 'end_turn' };
    const detail = r.text.trim() || r.subtype || 'an error';
    return {
      reason: 'provider_error',
      error: `Claude Code ended with ${r.subtype || 'an error'}${r.apiErrorStatus ? ` (HTTP ${r.apiErrorStatus})` : ''}: ${detail}`,
    };
  }
}
