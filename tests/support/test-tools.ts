/**
 * Small but real AgentTool implementations for engine tests (the production tools
 * live in src/core/tools), plus helpers to build a config and drain an agent run.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { configSchema, type Config, type ConfigInput } from '../../src/core/config/schema.js';
import type { AgentTool, ToolContext } from '../../src/core/tools/types.js';

const run = promisify(execFile);

function inside(root: string, path: string): string | undefined {
  const full = resolve(root, path);
  const rel = relative(root, full);
  return rel.startsWith('..') || resolve(rel) === rel ? undefined : full;
}

/**
 * A tool that answers with text computed from its numeric input, declared as `bash` under
 * Anthropic's typed tools (so either tool schema works): the big-output tools of the
 * context, budget and transcript tests.
 */
export function textTool(args: {
  name: string;
  description: string;
  properties: string[];
  summarize: (input: Record<string, number>) => string;
  text: (input: Record<string, number>) => string;
  display: (input: Record<string, number>) => string;
}): AgentTool {
  const numbers = (input: unknown) => input as Record<string, number>;
  return {
    name: args.name,
    declaration: {
      anthropic: { type: 'bash_20250124', name: 'bash' },
      custom: {
        name: args.name,
        description: args.description,
        input_schema: {
          type: 'object',
          properties: Object.fromEntries(args.properties.map((p) => [p, { type: 'number' }])),
        },
      },
    },
    summarize: (input) => args.summarize(numbers(input)),
    run: (input) =>
      Promise.resolve({
        content: args.text(numbers(input)),
        isError: false,
        display: args.display(numbers(input)),
      }),
  };
}

/** `write_file { path, content }`: writes a file inside the work tree. */
export const writeFileTool: AgentTool = {
  name: 'write_file',
  declaration: {
    anthropic: { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' },
    custom: {
      name: 'write_file',
      description: 'Write a file',
      input_schema: {
        type: 'object',
        properties: { path: { type: 'string' }, content: { type: 'string' } },
        required: ['path', 'content'],
      },
    },
  },
  summarize: (input) => `write ${String((input as { path?: unknown }).path)}`,
  async run(input, ctx) {
    const { path, content } = (input ?? {}) as { path?: unknown; content?: unknown };
    if (typeof path !== 'string' || typeof content !== 'string') {
      return {
        content: 'Error: write_file needs string fields `path` and `content`.',
        isError: true,
        display: 'write_file: bad input',
      };
    }
    const full = inside(ctx.root, path);
    if (!full)
      return {
        content: `Error: ${path} is outside the work tree.`,
        isError: true,
        display: 'refused',
      };
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
    return {
      content: `Wrote ${content.length} characters to ${path}.`,
      isError: false,
      display: `wrote ${path}`,
    };
  },
};

/** `shell { command }`: runs a command with sh in the work tree. */
export const shellTool: AgentTool = {
  name: 'shell',
  declaration: {
    anthropic: { type: 'bash_20250124', name: 'bash' },
    custom: {
      name: 'shell',
      description: 'Run a shell command',
      input_schema: {
        type: 'object',
        properties: { command: { type: 'string' } },
        required: ['command'],
      },
    },
  },
  summarize: (input) => `$ ${String((input as { command?: unknown }).command)}`,
  async run(input, ctx: ToolContext) {
    const command = (input as { command?: unknown } | null)?.command;
    if (typeof command !== 'string') {
      return {
        content: 'Error: shell needs a string `command`.',
        isError: true,
        display: 'shell: bad input',
      };
    }
    try {
      const { stdout, stderr } = await run('sh', ['-c', command], {
        cwd: ctx.root,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      return { content: stdout + stderr, isError: false, display: `$ ${command}` };
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; code?: unknown };
      return {
        content: `exit ${String(e.code)}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
        isError: true,
        display: `$ ${command} (failed)`,
      };
    }
  },
};

/** A tool that always throws, to check the agent turns exceptions into results. */
export const throwingTool: AgentTool = {
  name: 'explode',
  declaration: {
    anthropic: { type: 'bash_20250124', name: 'bash' },
    custom: {
      name: 'explode',
      description: 'Throws',
      input_schema: { type: 'object', properties: {} },
    },
  },
  summarize: () => 'explode',
  run() {
    return Promise.reject(new Error('kaboom'));
  },
};

export function testConfig(input: ConfigInput = {}, baseUrl?: string): Config {
  return configSchema.parse({
    ...input,
    provider: {
      max_retries: 3,
      retry_max_wait: 0.02,
      ...(baseUrl ? { base_url: baseUrl } : {}),
      ...(input.provider ?? {}),
    },
  });
}

export function toolContext(root: string, config: Config, signal?: AbortSignal): ToolContext {
  return {
    root,
    protectedPaths: [join(root, '.mmm')],
    config: config.tools,
    ...(signal ? { signal } : {}),
  };
}

/** Drains an async generator, returning every yielded value and the return value. */
export async function drain<T, R>(gen: AsyncGenerator<T, R>): Promise<{ events: T[]; result: R }> {
  const events: T[] = [];
  for (;;) {
    const next = await gen.next();
    if (next.done) return { events, result: next.value };
    events.push(next.value);
  }
}
