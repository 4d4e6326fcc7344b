import type { CommandName, Detection, DetectorContext } from '../types.js';
import { type Commands, firstKey, guess, isRecord, offer } from './util.js';

/** Deno projects: `deno task <name>` when deno.json defines it, else the built-in tools. */
const TASKS: Record<CommandName, string[]> = {
  build: ['build', 'compile'],
  test: ['test'],
  lint: ['lint'],
  typecheck: ['check', 'typecheck'],
  format: ['fmt', 'format'],
};

export async function detectDeno(ctx: DetectorContext): Promise<Detection | null> {
  const file = ['deno.json', 'deno.jsonc'].find((f) => ctx.has(f));
  if (!file) return null;
  // deno.jsonc may hold comments: strip whole-line ones before parsing.
  const text = (await ctx.readText(file)) ?? '';
  let config: unknown;
  try {
    config = JSON.parse(text.replace(/^\s*\/\/.*$/gm, ''));
  } catch {
    ctx.warn(`${file}: invalid JSON; fix the file — its tasks were ignored`);
  }
  const tasks = isRecord(config) && isRecord(config.tasks) ? config.tasks : {};
  const commands: Commands = {};
  for (const name of Object.keys(TASKS) as CommandName[]) {
    const task = firstKey(tasks, TASKS[name]);
    if (task) offer(commands, name, guess(`deno task ${task}`, `${file} tasks.${task}`, 2));
  }
  offer(commands, 'test', guess('deno test', file, 1));
  offer(commands, 'lint', guess('deno lint', file, 1));
  offer(commands, 'typecheck', guess('deno check .', file, 1));
  offer(commands, 'format', guess('deno fmt', file, 1));
  return {
    packageManagers: ['deno'],
    manifest: file,
    commands,
    languages: ['TypeScript', 'JavaScript'],
  };
}
