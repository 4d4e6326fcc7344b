import { lineOf } from '../evidence.js';
import type { CommandName, DetectorContext } from '../types.js';
import { type Commands, guess, isRecord, offer } from './util.js';

/** Python helpers: the package directory, and tox/nox sessions as commands. */

/** `src/<name>` or `<name>` holding `__init__.py`, from [project].name, else the only one. */
export function packageDir(
  ctx: DetectorContext,
  pyproject: Record<string, unknown>,
): string | undefined {
  const project = isRecord(pyproject.project) ? pyproject.project : {};
  const tool = isRecord(pyproject.tool) ? pyproject.tool : {};
  const poetry = isRecord(tool.poetry) ? tool.poetry : {};
  const raw =
    typeof project.name === 'string'
      ? project.name
      : typeof poetry.name === 'string'
        ? poetry.name
        : '';
  const name = raw.toLowerCase().replace(/[-.]/g, '_');
  if (name) {
    for (const dir of [`src/${name}`, name]) if (ctx.has(`${dir}/__init__.py`)) return dir;
  }
  const tops = ctx
    .named('__init__.py')
    .filter((f) => /^(src\/)?[^/]+\/__init__\.py$/.test(f))
    .map((f) => f.slice(0, -'/__init__.py'.length))
    .filter((d) => !/(^|\/)(tests?|docs?|examples?|scripts?|benchmarks?)$/.test(d));
  return tops.length === 1 ? tops[0] : undefined;
}

const SESSIONS: Record<CommandName, string[]> = {
  build: ['build'],
  test: ['tests', 'test', 'py', 'unit'],
  lint: ['lint', 'linting', 'flake8', 'ruff'],
  typecheck: ['typing', 'mypy', 'type', 'types', 'typecheck', 'pyright'],
  format: ['format', 'fmt', 'black'],
};

function toxEnvs(toxIni: string): Set<string> {
  const envs = new Set<string>();
  for (const m of toxIni.matchAll(/^\[testenv:([^\]\s]+)\]/gm)) if (m[1]) envs.add(m[1]);
  return envs;
}

function noxSessions(noxfile: string): Set<string> {
  const sessions = new Set<string>();
  for (const m of noxfile.matchAll(
    /@nox\.session\s*(?:\(([^)]*)\))?\s*\n(?:@[^\n]*\n)*\s*def\s+([A-Za-z_]\w*)/g,
  )) {
    const named = /name\s*=\s*["']([^"']+)["']/.exec(m[1] ?? '');
    const name = named?.[1] ?? m[2];
    if (name) sessions.add(name);
  }
  return sessions;
}

/**
 * tox environments and nox sessions named like a command (`[testenv:lint]`,
 * `@nox.session def typing`) fill the commands no tool configuration gave.
 */
export async function offerSessions(
  ctx: DetectorContext,
  commands: Commands,
  toxIni: string,
): Promise<void> {
  const noxfile = (await ctx.readText('noxfile.py')) ?? '';
  const tox = toxEnvs(toxIni);
  const nox = noxSessions(noxfile);
  for (const name of Object.keys(SESSIONS) as CommandName[]) {
    if (commands[name]) continue;
    const env = SESSIONS[name].find((e) => tox.has(e));
    if (env) {
      const line = lineOf(toxIni, new RegExp(`^\\[testenv:${env}\\]`, 'm'));
      offer(
        commands,
        name,
        guess(`tox -e ${env}`, `tox.ini testenv:${env}`, 1, true, [
          line === undefined ? { file: 'tox.ini' } : { file: 'tox.ini', line },
        ]),
      );
      continue;
    }
    const session = SESSIONS[name].find((s) => nox.has(s));
    if (session) {
      const line = lineOf(noxfile, new RegExp(`def ${session}\\b|name\\s*=\\s*["']${session}["']`));
      offer(
        commands,
        name,
        guess(`nox -s ${session}`, `noxfile.py session ${session}`, 1, true, [
          line === undefined ? { file: 'noxfile.py' } : { file: 'noxfile.py', line },
        ]),
      );
    }
  }
}
