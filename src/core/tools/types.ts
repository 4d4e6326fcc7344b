import type { Config } from '../config/schema.js';

/** What a tool run gives back: what the model sees and what the UI shows, kept apart. */
export interface ToolOutcome {
  /** Sent to the model as the tool_result content. */
  content: string;
  /** Sent as is_error: true. Tool failures are results, never exceptions. */
  isError: boolean;
  /** One line for the UI and the plain log. */
  display: string;
}

/** One `report_evidence` report: the tests that prove one acceptance criterion. */
export interface EvidenceReport {
  /** 1-based, in the order of the spec's acceptance criteria. */
  criterion: number;
  tests: string[];
  note?: string;
}

/** Where an attempt's reports go; set on the tool context for the attempt's agent step. */
export interface EvidenceSink {
  /** The task's acceptance criteria, in order (criterion n is `criteria[n - 1]`). */
  criteria: { text: string; hasCheck: boolean }[];
  /** The latest report per criterion. */
  reports: EvidenceReport[];
}

export interface ToolContext {
  /** Absolute, real path of the work tree; every file access stays inside it. */
  root: string;
  /** Absolute paths the model may not read or write (e.g. mmm's run data). */
  protectedPaths: string[];
  config: Config['tools'];
  /** Fires on a hard abort (second Ctrl-C): kill what is running and return. */
  signal?: AbortSignal;
  /** Where `report_evidence` records the attempt's evidence (set per spec attempt). */
  evidence?: EvidenceSink;
}

/** JSON-schema declaration for servers that do not know Anthropic's typed tools. */
export interface CustomToolDeclaration {
  name: string;
  description: string;
  input_schema: { type: 'object'; properties: Record<string, unknown>; required?: string[] };
}

/** Anthropic-defined typed tool declaration (api.anthropic.com). */
export interface AnthropicToolDeclaration {
  type: 'text_editor_20250728' | 'bash_20250124';
  name: 'str_replace_based_edit_tool' | 'bash';
}

/** A tool as the agent loop sees it; src/core/tools builds them with defineTool. */
export interface AgentTool {
  name: string;
  /** `anthropic`: a typed tool, or a JSON-schema one for tools Anthropic does not define. */
  declaration: {
    anthropic: AnthropicToolDeclaration | CustomToolDeclaration;
    custom: CustomToolDeclaration;
  };
  /** One-line description of a call for the UI, e.g. `edit src/a.ts (str_replace)`. */
  summarize(input: unknown): string;
  run(input: unknown, ctx: ToolContext): Promise<ToolOutcome>;
  /** Release resources (the persistent shell). */
  dispose?(): Promise<void>;
}
