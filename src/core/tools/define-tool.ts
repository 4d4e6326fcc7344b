import { z } from 'zod';
import type {
  AgentTool,
  AnthropicToolDeclaration,
  CustomToolDeclaration,
  ToolContext,
  ToolOutcome,
} from './types.js';

/**
 * What a tool is made of. The zod schema is the one definition of the input: it validates
 * the model's input and, turned into JSON schema, is what the API declares.
 */
export interface ToolDefinition<S extends z.ZodObject> {
  /** The name the model calls; a contract (docs/tools.md). */
  name: string;
  /** Short name for the UI's one-liners: `edit: invalid input`. Default: the name. */
  label?: string;
  /** Sent as the description of the JSON-schema declaration. */
  description: string;
  /** Property descriptions (`.describe()`) go on the wire too. */
  schema: S;
  /** Anthropic's typed declaration of the tool, if Anthropic defines it (api.anthropic.com). */
  anthropic?: AnthropicToolDeclaration;
  /** A valid call in words, ending every input error: `Expected { "command": … }.` */
  expected: string;
  /** What the model should do when execute throws: `Check the path and try again.` */
  onFailure: string;
  /** One line for the UI, from valid input (invalid input reads `<label> (invalid input)`). */
  summarize(input: z.output<S>): string;
  /** Runs a call whose input passed the schema. May throw: the throw becomes an error result. */
  execute(input: z.output<S>, ctx: ToolContext): Promise<ToolOutcome>;
  dispose?(): Promise<void>;
}

/**
 * Makes an AgentTool out of a definition: validates the input once, formats an input error
 * once, catches once, and derives the JSON-schema declaration from the zod schema, so a
 * tool only says what it does with valid input.
 */
export function defineTool<S extends z.ZodObject>(def: ToolDefinition<S>): AgentTool {
  const label = def.label ?? def.name;
  const custom: CustomToolDeclaration = {
    name: def.name,
    description: def.description,
    input_schema: inputSchemaOf(def.schema),
  };
  const tool: AgentTool = {
    name: def.name,
    declaration: { anthropic: def.anthropic ?? custom, custom },
    summarize(input) {
      const parsed = def.schema.safeParse(input);
      return parsed.success ? def.summarize(parsed.data) : `${label} (invalid input)`;
    },
    async run(input, ctx) {
      const parsed = def.schema.safeParse(input);
      if (!parsed.success) {
        return {
          content: describeInputError(def.name, parsed.error, input, def.expected),
          isError: true,
          display: `${label}: invalid input`,
        };
      }
      try {
        return await def.execute(parsed.data, ctx);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return {
          content: `The ${def.name} call failed: ${message}. ${def.onFailure}`,
          isError: true,
          display: `${label}: failed`,
        };
      }
    },
  };
  if (def.dispose) tool.dispose = def.dispose;
  return tool;
}

/**
 * The error result for input the schema rejects: every problem with its field, what was
 * sent, and what a valid call looks like, so the model can send it again fixed.
 */
export function describeInputError(
  name: string,
  error: z.ZodError,
  input: unknown,
  expected: string,
): string {
  const lines = error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.join('.') : 'input';
    const got = valueAt(input, issue.path);
    const gotText =
      got === undefined ? 'it is missing' : `got ${JSON.stringify(got)?.slice(0, 80)}`;
    return `- ${field}: ${issue.message} (${gotText})`;
  });
  return `Invalid input for ${name}:\n${lines.join('\n')}\n${expected}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let at = input;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

/**
 * The `input_schema` of a declaration: the JSON schema of what the model may send (zod's
 * input side: a lenient preprocess declares the type it leads to). The Messages API wants
 * an object schema at the top, without `$schema`; zod's ±2^53 bounds of `.int()` are
 * dropped as noise. Descriptions and other constraints stay.
 */
export function inputSchemaOf(schema: z.ZodObject): CustomToolDeclaration['input_schema'] {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'throw',
    override({ jsonSchema }) {
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    },
  });
  const { $schema: _, type, properties, required, ...rest } = json;
  const extra = Object.keys(rest);
  if (type !== 'object' || !properties || extra.length) {
    // The API refuses anyOf/oneOf/allOf at the top; other keys would be silently lost.
    throw new Error(
      `A tool's input schema must be a plain object schema (got type ${String(type)}${extra.length ? `, ${extra.join(', ')}` : ''}).`,
    );
  }
  return {
    type: 'object',
    properties: properties as Record<string, unknown>,
    ...(required?.length ? { required } : {}),
  };
}
