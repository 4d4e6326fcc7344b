import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import type {
  AgentTool,
  AnthropicToolDeclaration,
  CustomToolDeclaration,
  ToolContext,
  ToolOutcome,
} from './types.js';
import { createBashTool } from './bash-tool.js';
import { createEditTool } from './edit-tool.js';
import { createReportEvidenceTool } from './report-evidence-tool.js';
import type { Sandbox } from './sandbox.js';

/** The agent's tool set: the editor, the shell and report_evidence, sharing one context. */
export interface ToolSet {
  tools: AgentTool[];
  context: ToolContext;
  /** The sandbox the shell runs in; validation commands use it too. Undefined: none. */
  sandbox: Sandbox | undefined;
  /** To announce at run start (e.g. no sandbox available). */
  warnings: string[];
  dispose(): Promise<void>;
}

export function createTools(options: {
  root: string;
  protectedPaths: string[];
  config: Config['tools'];
  sandbox?: Sandbox;
  warnings?: string[];
}): ToolSet {
  let root: string;
  try {
    root = realpathSync(options.root);
  } catch {
    root = resolve(options.root);
  }
  const context: ToolContext = {
    root,
    protectedPaths: options.protectedPaths.map((p) => resolve(root, p)),
    config: options.config,
  };
  const tools = [
    createEditTool(),
    createBashTool(root, options.config, options.sandbox),
    createReportEvidenceTool(),
  ];
  return {
    tools,
    context,
    sandbox: options.sandbox,
    warnings: options.warnings ?? [],
    async dispose() {
      await Promise.all(tools.map((t) => t.dispose?.()));
    },
  };
}

/** The `tools` parameter of a Messages API request. */
export function toolDeclarations(
  tools: readonly AgentTool[],
  schema: 'anthropic' | 'custom',
): (AnthropicToolDeclaration | CustomToolDeclaration)[] {
  return tools.map((t) =>
    schema === 'anthropic' ? t.declaration.anthropic : t.declaration.custom,
  );
}

/**
 * Runs a tool by name; an unknown name becomes an error outcome. Tools made with
 * defineTool never throw; the catch here holds for any other AgentTool.
 */
export async function runTool(
  tools: readonly AgentTool[],
  name: string,
  input: unknown,
  ctx: ToolContext,
): Promise<ToolOutcome> {
  const tool = tools.find((t) => t.name === name);
  if (!tool) {
    const known = tools.map((t) => t.name).join(', ');
    return {
      content: `Unknown tool "${name}". The available tools are: ${known}.`,
      isError: true,
      display: `unknown tool ${name}`,
    };
  }
  try {
    return await tool.run(input, ctx);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      content: `The ${name} tool failed unexpectedly: ${message}`,
      isError: true,
      display: `${name} failed`,
    };
  }
}

export { guardPath } from './path-guard.js';
export { CommandPolicy } from './command-policy.js';
export { EDIT_TOOL_NAME } from './edit-tool.js';
export { BASH_TOOL_NAME } from './bash-tool.js';
export { createSandbox, type Sandbox } from './sandbox.js';
export { chooseSandbox } from './sandbox-probe.js';
export { REPORT_EVIDENCE_TOOL_NAME } from './report-evidence-tool.js';
export type { EvidenceReport, EvidenceSink } from './types.js';
export { defineTool } from './define-tool.js';
