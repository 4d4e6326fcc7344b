import type { CommandName, Detection, DetectorContext, SetAside } from '../types.js';
import { fitsCommand, justRecipe, makeRecipe, recipeEffect } from '../recipes.js';
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

/**
 * Offers each command's target, unless its recipe does the opposite of what the command
 * must do: a `fmt` target that only checks (`gofmt -l`) is no format command, a `lint`
 * target that rewrites files is no lint command. Those are recorded in `rejected`.
 */
function offerTargets(
  commands: Commands,
  targets: Set<string>,
  runner: string,
  file: string,
  recipe: (target: string) => string[],
  rejected: SetAside,
): void {
  for (const name of Object.keys(TARGETS) as CommandName[]) {
    // "check" only stands for test when there is no test target at all.
    for (const target of TARGETS[name].filter((t) => targets.has(t))) {
      const effect = recipeEffect(recipe(target));
      if (!fitsCommand(name, effect)) {
        (rejected[name] ??= []).push(
          `${file} target ${target} not used for ${name}: its recipe ${effect === 'checks' ? 'only checks, it does not rewrite files' : 'rewrites files'}`,
        );
        continue;
      }
      offer(
        commands,
        name,
        guess(`${runner} ${target}`, `${file} target ${target}`, 3, true, [
          { file, key: `target ${target}` },
        ]),
      );
      break;
    }
  }
}

export async function detectMake(ctx: DetectorContext): Promise<Detection | null> {
  const makefile = ['GNUmakefile', 'makefile', 'Makefile'].find((f) => ctx.has(f));
  const justfile = ['justfile', 'Justfile', '.justfile'].find((f) => ctx.has(f));
  const taskfile = ['Taskfile.yml', 'Taskfile.yaml', 'taskfile.yml'].find((f) => ctx.has(f));
  if (!makefile && !justfile && !taskfile) return null;
  const commands: Commands = {};
  const packageManagers: string[] = [];
  const rejected: SetAside = {};
  if (justfile) {
    packageManagers.push('just');
    const text = (await ctx.readText(justfile)) ?? '';
    offerTargets(
      commands,
      justRecipes(text),
      'just',
      justfile,
      (t) => justRecipe(text, t),
      rejected,
    );
  }
  if (taskfile) {
    packageManagers.push('task');
    try {
      const { parse: parseYaml } = await import('yaml');
      const doc: unknown = parseYaml((await ctx.readText(taskfile)) ?? '');
      const tasks = isRecord(doc) && isRecord(doc.tasks) ? Object.keys(doc.tasks) : [];
      const cmds = (t: string): string[] => {
        const task = isRecord(doc) && isRecord(doc.tasks) ? doc.tasks[t] : undefined;
        const list = isRecord(task) && Array.isArray(task.cmds) ? task.cmds : [];
        return list.map((c) =>
          typeof c === 'string' ? c : isRecord(c) ? String(c.cmd ?? '') : '',
        );
      };
      offerTargets(commands, new Set(tasks), 'task', taskfile, cmds, rejected);
    } catch (error) {
      ctx.warn(
        `${taskfile} is not valid YAML (${(error as Error).message.split('\n')[0]}): its tasks are ignored`,
      );
    }
  }
  if (makefile) {
    packageManagers.push('make');
    const text = (await ctx.readText(makefile)) ?? '';
    offerTargets(
      commands,
      makeTargets(text),
      'make',
      makefile,
      (t) => makeRecipe(text, t),
      rejected,
    );
  }
  return { packageManagers, commands, languages: ['Makefile'], setAside: rejected };
}
