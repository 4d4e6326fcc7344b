import { INVALID_JSON_KEY } from '../llm/types.js';
import { redactDeep } from '../secrets/redact.js';
import { runTool } from '../tools/index.js';
import type { AgentTool, ToolContext, ToolOutcome } from '../tools/types.js';

/**
 * Runs one tool call and always returns an outcome: an unknown tool, input that is not
 * valid JSON, input the tool's schema rejects, or a tool that throws all become
 * is_error results the model can act on.
 */
export async function executeToolCall(
  tools: readonly AgentTool[],
  name: string,
  input: unknown,
  ctx: ToolContext,
): Promise<ToolOutcome> {
  if (isInvalidJson(input)) {
    const raw = String(input[INVALID_JSON_KEY]);
    const reason = typeof input.error === 'string' ? input.error : 'it does not parse';
    return {
      content:
        `Error: the input of this ${name} call is not valid JSON (${reason}). ` +
        `Received: ${raw.slice(0, 500)}${raw.length > 500 ? '…' : ''}\n` +
        'Send the call again with a complete JSON object matching the tool schema.',
      isError: true,
      display: `${name}: invalid JSON input`,
    };
  }
  // Unknown tools and exceptions become error outcomes inside runTool. What the tool
  // read or printed (a shell profile, /proc/*/environ) is redacted before the model or
  // anything else sees it.
  return redactDeep(await runTool(tools, name, input, ctx));
}

export function isInvalidJson(input: unknown): input is Record<string, unknown> {
  return typeof input === 'object' && input !== null && INVALID_JSON_KEY in input;
}

/** A one-line summary for the UI; never throws, whatever the input. */
export function summarizeCall(tools: readonly AgentTool[], name: string, input: unknown): string {
  const tool = tools.find((t) => t.name === name);
  if (!tool || isInvalidJson(input)) return `${name} (invalid input)`;
  try {
    return tool.summarize(input);
  } catch {
    return name;
  }
}
