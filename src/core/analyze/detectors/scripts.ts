import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fitsCommand, recipeEffect } from '../recipes.js';
import type { CommandName, Detection, DetectorContext, SetAside } from '../types.js';
import { type Commands, guess, offer } from './util.js';

/**
 * Scripts the project ships for its contributors: `scripts/test.sh`, `scripts/lint.sh`,
 * `scripts/format.sh` (FastAPI, Pydantic…), GitHub's `script/test`. Like task-runner
 * targets they are the project's own front door; a script is read first, so a `format`
 * script that only checks or a `lint` script that rewrites files is set aside.
 */
// No build: a scripts/build.sh is as often a release or image build as a compile step.
const NAMES: Partial<Record<CommandName, string[]>> = {
  test: ['test', 'tests'],
  lint: ['lint'],
  typecheck: ['typecheck', 'type-check', 'mypy'],
  format: ['format', 'fmt'],
};

const DIRS = ['scripts', 'script', 'bin'];

function executable(ctx: DetectorContext, file: string): boolean {
  try {
    return (statSync(join(ctx.root, file)).mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

export async function detectScripts(ctx: DetectorContext): Promise<Detection | null> {
  const commands: Commands = {};
  const setAside: SetAside = {};
  for (const name of Object.keys(NAMES) as CommandName[]) {
    for (const dir of DIRS) {
      const file = (NAMES[name] ?? [])
        .flatMap((n) => (dir === 'bin' ? [`bin/${n}.sh`] : [`${dir}/${n}.sh`, `${dir}/${n}`]))
        .find((f) => ctx.has(f));
      if (!file) continue;
      const text = (await ctx.readText(file)) ?? '';
      const lines = text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
      const effect = recipeEffect(lines);
      if (!fitsCommand(name, effect)) {
        (setAside[name] ??= []).push(
          `${file} not used for ${name}: it ${effect === 'checks' ? 'only checks, it does not rewrite files' : 'rewrites files'}`,
        );
        continue;
      }
      const run = executable(ctx, file) ? `./${file}` : `bash ${file}`;
      offer(commands, name, guess(run, `${file} (project script)`, 3, true, [{ file }]));
      break;
    }
  }
  if (Object.keys(commands).length === 0 && Object.keys(setAside).length === 0) return null;
  return { commands, setAside, languages: ['Shell'] };
}
