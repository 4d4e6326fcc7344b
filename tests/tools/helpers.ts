import { afterEach } from 'vitest';
import { defaultConfig, type Config } from '../../src/core/config/schema.js';
import { createTools, runTool, type ToolSet } from '../../src/core/tools/index.js';
import type { ToolOutcome } from '../../src/core/tools/types.js';

const sets: ToolSet[] = [];

afterEach(async () => {
  while (sets.length) await sets.pop()?.dispose();
});

/** A tool set on `root`, disposed after the test. */
export function toolsFor(
  root: string,
  tools: Partial<Config['tools']> = {},
  protectedPaths: string[] = ['.mmm'],
): ToolSet {
  const set = createTools({ root, protectedPaths, config: { ...defaultConfig().tools, ...tools } });
  sets.push(set);
  return set;
}

export function edit(set: ToolSet, input: unknown): Promise<ToolOutcome> {
  return runTool(set.tools, 'str_replace_based_edit_tool', input, set.context);
}

export function bash(set: ToolSet, input: unknown, signal?: AbortSignal): Promise<ToolOutcome> {
  return runTool(set.tools, 'bash', input, signal ? { ...set.context, signal } : set.context);
}
