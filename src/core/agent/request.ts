import type {
  ContentBlockParam,
  MessageParam,
  TextBlockParam,
  ToolUnion,
} from '@anthropic-ai/sdk/resources/messages';
import { toolDeclarations } from '../tools/index.js';
import type { AgentTool } from '../tools/types.js';
import { TASK_SECTION_START } from './prompt.js';

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * Tool declarations for the request, with a cache breakpoint on the last one: tools
 * come first in the prompt, so tools + system form the stable, cached prefix.
 */
export function declareTools(tools: AgentTool[], schema: 'anthropic' | 'custom'): ToolUnion[] {
  const declarations = toolDeclarations(tools, schema) as ToolUnion[];
  return declarations.map((declaration, index) =>
    index === declarations.length - 1 ? { ...declaration, cache_control: EPHEMERAL } : declaration,
  );
}

/**
 * The system prompt as blocks. When it holds a task (buildSystemPrompt puts the stable
 * part — role, rules, project, agent notes — first), the stable part is its own block with
 * the cache breakpoint, so every attempt and every spec of a run reuses it; the task and
 * earlier attempts follow unmarked (the latest message's breakpoint covers them within an
 * attempt). Breakpoints in all: last tool, stable system, latest message — 3 of the 4 the
 * API allows.
 */
export function systemBlocks(system: string): TextBlockParam[] {
  const at = system.indexOf(TASK_SECTION_START);
  if (at <= 0) return [{ type: 'text', text: system, cache_control: EPHEMERAL }];
  return [
    { type: 'text', text: system.slice(0, at), cache_control: EPHEMERAL },
    { type: 'text', text: system.slice(at + 2) },
  ];
}

/**
 * A copy of `messages` with a cache breakpoint on the last content block of the latest
 * message. History itself is never marked, so breakpoints never pile up past the limit.
 */
export function withLatestBreakpoint(messages: MessageParam[]): MessageParam[] {
  const last = messages.at(-1);
  if (!last) return messages;
  const blocks: ContentBlockParam[] =
    typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : [...last.content];
  const tail = blocks.at(-1);
  if (!tail || tail.type === 'thinking' || tail.type === 'redacted_thinking') return messages;
  if (tail.type === 'text' && tail.text === '') return messages;
  blocks[blocks.length - 1] = { ...tail, cache_control: EPHEMERAL } as ContentBlockParam;
  return [...messages.slice(0, -1), { ...last, content: blocks } as MessageParam];
}
