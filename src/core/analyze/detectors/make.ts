import { parse as parseYaml } from 'yaml';
import type { CommandName, Detection, DetectorContext } from '../types.js';
import { type Commands, guess, isRecord, offer } from './util.js';

/**
 * Task runners: Makefile, justfile, Taskfile.yml. Their targets are the project's
 * own front door, so they outrank manifest scripts and conventions.
 */
const TARGETS: Record<CommandName, string[]> = {
  build: ['build', 'compile'],
  test: ['test', 'tests', 'check'],
  lint: ['lint', 'vet'],
  typecheck: ['typecheck', 'type-check', 'types', 'mypy', 'tsc'],
  format: ['format', 'fmt'],
};

export function makeTargets(text: string): Set<string> {
  const targets = new Set<string>();
  // "name: deps" but not "name := value" / "name ::= value"; recipe lines start with a tab.
  for (const m of text.matchAll(/^([A-Za-z0-9_][A-Za-z0-9_.\- ]*?)\s*::?(?!=)/gm)) {
    for (const t of (m[1] ?? '').split(/\s+/)) if (t && !t.startsWith('.')) targets.add(t);
  }
  return targets;
}

export function justRecipes(text: string): Set<string> {
  const recipes = new Set<string>();
  for (const m of text.matchAll(/^@?([A-Za-z0-9_-]+)(?:\s+[^:=\n]*)?:(?!=)/gm))
    if (m[1]) recipes.add(m[1]);
  return recipes;
}

function offerTargets(
  commands: Commands,
  targets: Set<string>,
  runner: string,
  file: string,
): void {
  for (const name of Object.keys(TARGETS) as CommandName[]) {
    const target = TARGETS[name].find((t) => targets.has(t));
    // "check" only stands for test when there is no test target at all.
    if (target) offer(commands, name, guess(`${runner} ${target}`, `${file} target ${target}`, 3));
  }
}

export async function detectMake(ctx: DetectorContext): Promise<Detection | null> {
  const makefile = ['GNUmakefile', 'makefile', 'Makefile'].find((f) => ctx.has(f));
  const justfile = ['justfile', 'Justfile', '.justfile'].find((f) => ctx.has(f));
  const taskfile = ['Taskfile.yml', 'Taskfile.yaml', 'taskfile.yml'].find((f) => ctx.has(f));
  if (!makefile && !justfile && !taskfile) return null;
  const commands: Commands = {};
  const packageManagers: string[] = [];
  if (justfile) {
    packageManagers.push('just');
    offerTargets(commands, justRecipes((await ctx.readText(justfile)) ?? ''), 'just', justfile);
  }
  if (taskfile) {
    packageManagers.push('task');
    try {
      const doc: unknown = parseYaml((await ctx.readText(taskfile)) ?? '');
      const tasks = isRecord(doc) && isRecord(doc.tasks) ? Object.keys(doc.tasks) : [];
      offerTargets(commands, new Set(tasks), 'task', taskfile);
    } catch (error) {
      ctx.warn(
        `${taskfile} is not valid YAML (${(error as Error).message.split('\n')[0]}): its tasks are ignored`,
      );
    }
  }
  if (makefile) {
    packageManagers.push('make');
    offerTargets(commands, makeTargets((await ctx.readText(makefile)) ?? ''), 'make', makefile);
  }
  return { packageManagers, commands, languages: ['Makefile'] };
}
