import type {
  ContentBlockParam,
  MessageParam,
  TextBlockParam,
  ToolUnion,
} from '@anthropic-ai/sdk/resources/messages';
import { toolDeclarations } from '../tools/index.js';
import type { AgentTool } from '../tools/types.js';

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

/** The system prompt as one cached block (the end of the stable prefix). */
export function systemBlocks(system: string): TextBlockParam[] {
  return [{ type: 'text', text: system, cache_control: EPHEMERAL }];
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
