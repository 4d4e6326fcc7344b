import type { MessageParam, ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';

/** How many of the most recent tool results are always kept verbatim. */
export const KEEP_RECENT_RESULTS = 3;

/** Rough characters per token, to estimate what a compaction saved. */
const CHARS_PER_TOKEN = 4;

const PLACEHOLDER = /^\[output of .* compacted: \d+ chars\]$/;

export interface CompactionResult {
  /** Tool results replaced by a placeholder. */
  compacted: number;
  /** Characters removed from the conversation. */
  removedChars: number;
}

function resultText(block: ToolResultBlockParam): string {
  if (typeof block.content === 'string') return block.content;
  if (!block.content) return '';
  return block.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/**
 * Replaces the content of tool results with a short placeholder naming the call
 * (`[output of \`npm test\` compacted: 48213 chars]`), oldest first, until at least
 * `targetChars` characters are gone; the `keep` most recent results are never touched.
 * Mutates `messages` in place (each changed message is a new object); ids, order and
 * is_error flags stay as they were, so the conversation remains valid for the API.
 */
export function compactToolResults(
  messages: MessageParam[],
  summaries: ReadonlyMap<string, string>,
  keep = KEEP_RECENT_RESULTS,
  targetChars = Number.POSITIVE_INFINITY,
): CompactionResult {
  const locations: { message: number; block: number }[] = [];
  messages.forEach((message, m) => {
    if (message.role !== 'user' || typeof message.content === 'string') return;
    message.content.forEach((block, b) => {
      if (block.type === 'tool_result') locations.push({ message: m, block: b });
    });
  });
  let compacted = 0;
  let removedChars = 0;
  for (const { message: m, block: b } of locations.slice(0, Math.max(0, locations.length - keep))) {
    if (removedChars >= targetChars) break;
    const message = messages[m] as MessageParam;
    const content = message.content as ToolResultBlockParam[];
    const block = content[b] as ToolResultBlockParam;
    const text = resultText(block);
    if (PLACEHOLDER.test(text)) continue;
    const label = summaries.get(block.tool_use_id) ?? 'tool call';
    const placeholder = `[output of \`${label.replace(/`/g, "'")}\` compacted: ${text.length} chars]`;
    if (placeholder.length >= text.length) continue;
    const next = [...content];
    next[b] = { ...block, content: placeholder };
    messages[m] = { ...message, content: next } as MessageParam;
    compacted += 1;
    removedChars += text.length - placeholder.length;
  }
  return { compacted, removedChars };
}

/** Tokens of `chars` characters, by the same rough rule the compaction uses. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}
