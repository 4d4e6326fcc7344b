import type {
  ContentBlockParam,
  Message,
  MessageParam,
  TextBlockParam,
  ToolUnion,
} from '@anthropic-ai/sdk/resources/messages';
import type { ContextOverflowError } from '../llm/overflow.js';
import type { LlmClient, LlmRequest } from '../llm/types.js';
import type { Usage } from '../llm/usage.js';
import type { AgentTool } from '../tools/types.js';
import { ContextWindow } from './context-window.js';
import type { AgentEvent } from './events.js';
import { declareTools, systemBlocks, withLatestBreakpoint } from './request.js';

type CompactionEvent = Extract<AgentEvent, { type: 'compaction' }>;

/**
 * The conversation of one attempt: the stable prefix (tools, system) and the messages,
 * what is known of their size against the model's context window, and the compaction
 * that keeps them inside it. Every request of the attempt is built here.
 *
 * A window learned from the server (a refusal, a response cut off by the window) is
 * kept by the client as well, so the next attempt of the run starts below it.
 */
export class Conversation {
  private readonly tools: ToolUnion[];
  private readonly system: TextBlockParam[];
  private readonly messages: MessageParam[];
  private readonly context: ContextWindow;
  /** One-line summaries of the tool calls by id: what compaction leaves in their place. */
  readonly summaries = new Map<string, string>();

  constructor(
    private readonly client: LlmClient,
    prompt: { tools: AgentTool[]; system: string; task: string },
    compactThreshold: number,
  ) {
    this.tools = declareTools(prompt.tools, client.toolSchema);
    this.system = systemBlocks(prompt.system);
    this.messages = [{ role: 'user', content: prompt.task }];
    this.context = new ContextWindow(
      client.contextWindow,
      compactThreshold,
      JSON.stringify(this.tools).length + prompt.system.length + prompt.task.length,
    );
  }

  /** How many messages the next request sends. */
  get length(): number {
    return this.messages.length;
  }

  /** The context window in tokens, as far as it is known. */
  get window(): number {
    return this.context.size;
  }

  /** The next request, with a cache breakpoint on the latest message. */
  request(maxTokens: number): LlmRequest {
    return {
      system: this.system,
      messages: withLatestBreakpoint(this.messages),
      tools: this.tools,
      max_tokens: maxTokens,
    };
  }

  /** Estimated tokens of the next request's prompt. */
  estimate(): number {
    return this.context.estimate();
  }

  /** A message of the agent's own (tool results, a continuation prompt). */
  add(message: MessageParam): void {
    this.messages.push(message);
    this.context.added(message);
  }

  /**
   * The response to the last request, measured by its usage, goes into the history. The
   * API rejects empty or whitespace-only text blocks in a request, and a response can
   * carry one (e.g. right before a tool call): they stay out.
   */
  addResponse(message: Message, usage: Usage): void {
    this.context.measured(usage);
    const history = message.content.filter((b) => b.type !== 'text' || b.text.trim() !== '');
    if (history.length > 0) {
      this.messages.push({ role: 'assistant', content: history as ContentBlockParam[] });
    }
  }

  /** Before a request: compacts old tool output when the estimate passes the threshold. */
  compactIfNeeded(turn: number): CompactionEvent | undefined {
    return this.context.compactIfNeeded(this.messages, this.summaries, turn);
  }

  /** The server refused the prompt as too long: learn its window, compact harder. */
  refused(turn: number, error: ContextOverflowError): CompactionEvent | undefined {
    const compaction = this.context.refused(this.messages, this.summaries, turn, error);
    this.rememberWindow();
    return compaction;
  }

  /** A response ended with model_context_window_exceeded: learn the window, compact. */
  exceeded(turn: number): CompactionEvent | undefined {
    const compaction = this.context.exceeded(this.messages, this.summaries, turn);
    this.rememberWindow();
    return compaction;
  }

  private rememberWindow(): void {
    if (this.context.size < this.client.contextWindow)
      this.client.contextWindow = this.context.size;
  }
}
