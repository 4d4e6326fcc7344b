import type { CommandName, Detection, DetectorContext, Evidence, Workspace } from '../types.js';
import { matchPackages, workspaceGlobs } from './node-workspaces.js';
import {
  type Commands,
  dirOf,
  firstKey,
  frameworksFrom,
  guess,
  isRecord,
  isSampleManifest,
  manifests,
  offer,
  stringRecord,
} from './util.js';

/** npm, pnpm, yarn and bun projects: package.json scripts run with the lockfile's runner. */
const FRAMEWORKS: Record<string, string> = {
  react: 'react',
  next: 'next',
  vue: 'vue',
  nuxt: 'nuxt',
  svelte: 'svelte',
  '@sveltejs/kit': 'sveltekit',
  '@angular/core': 'angular',
  express: 'express',
  fastify: 'fastify',
  '@nestjs/core': 'nestjs',
  koa: 'koa',
  hono: 'hono',
  astro: 'astro',
  '@remix-run/react': 'remix',
  electron: 'electron',
  vitest: 'vitest',
  jest: 'jest',
  mocha: 'mocha',
  '@playwright/test': 'playwright',
  cypress: 'cypress',
};

const SCRIPT_NAMES: Record<CommandName, string[]> = {
  build: ['build', 'compile'],
  test: ['test', 'test:unit', 'tests'],
  lint: ['lint', 'lint:check', 'eslint'],
  typecheck: [
    'typecheck',
    'type-check',
    'typecheck:all',
    'check-types',
    'check:types',
    'types',
    'tsc',
  ],
  format: ['format', 'fmt', 'format:write', 'format:fix', 'prettier'],
};

type Runner = 'npm' | 'pnpm' | 'yarn' | 'bun';

const NPM_DEFAULT_TEST = /no test specified/;

function runnerOf(
  ctx: DetectorContext,
  pkg: Record<string, unknown>,
): { runner: Runner; sure: boolean; lock: string | null } {
  const declared = typeof pkg.packageManager === 'string' ? pkg.packageManager.split('@')[0] : '';
  if (declared === 'pnpm' || declared === 'yarn' || declared === 'npm' || declared === 'bun') {
    return { runner: declared, sure: true, lock: 'package.json packageManager' };
  }
  const locks: [string, Runner][] = [
    ['pnpm-lock.yaml', 'pnpm'],
    ['yarn.lock', 'yarn'],
    ['bun.lock', 'bun'],
    ['bun.lockb', 'bun'],
    ['package-lock.json', 'npm'],
    ['npm-shrinkwrap.json', 'npm'],
  ];
  for (const [file, runner] of locks) if (ctx.has(file)) return { runner, sure: true, lock: file };
  // A package inside a monorepo: the lockfile (or pnpm-workspace.yaml) is at the top.
  for (const [file, runner] of [...locks, ['pnpm-workspace.yaml', 'pnpm'] as [string, Runner]]) {
    const up = ctx.upward(file);
    if (up) return { runner, sure: true, lock: up };
  }
  return { runner: 'npm', sure: false, lock: null };
}

export function runScript(runner: Runner, script: string): string {
  if (runner === 'npm') return script === 'test' ? 'npm test' : `npm run ${script}`;
  if (runner === 'bun') return `bun run ${script}`;
  return `${runner} ${script}`;
}

function exec(runner: Runner, bin: string): string {
  if (runner === 'npm') return `npx ${bin}`;
  if (runner === 'pnpm') return `pnpm exec ${bin}`;
  if (runner === 'bun') return `bunx ${bin}`;
  return `yarn ${bin}`;
}

function recursive(runner: Runner, script: string, berry: boolean): string {
  if (runner === 'pnpm') return `pnpm -r run ${script}`;
  if (runner === 'npm') return `npm run ${script} --workspaces --if-present`;
  if (runner === 'bun') return `bun run --filter '*' ${script}`;
  return berry ? `yarn workspaces foreach -A run ${script}` : `yarn workspaces run ${script}`;
}

function scriptFor(name: CommandName, scripts: Record<string, string>): string | undefined {
  const found = firstKey(scripts, SCRIPT_NAMES[name]);
  if (found === 'test' && NPM_DEFAULT_TEST.test(scripts.test ?? '')) return undefined;
  if (found) return found;
  if (name === 'typecheck' && /\b(tsc|vue-tsc|svelte-check)\b/.test(scripts.check ?? ''))
    return 'check';
  return undefined;
}

const DEP_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

/** Evidence for a dependency: package.json, at the field that declares it. */
function depAt(pkg: Record<string, unknown>, dep: string): Evidence {
  const field = DEP_FIELDS.find((f) => Object.hasOwn(stringRecord(pkg[f]), dep));
  return field ? { file: 'package.json', key: `${field}.${dep}` } : { file: 'package.json' };
}

function depsOf(pkg: Record<string, unknown>): Set<string> {
  const deps = new Set<string>();
  for (const field of [
    'dependencies',
    'devDependencies',
    'peerDependencies',
    'optionalDependencies',
  ]) {
    for (const dep of Object.keys(stringRecord(pkg[field]))) deps.add(dep);
  }
  return deps;
}

export async function detectNode(ctx: DetectorContext): Promise<Detection | null> {
  // Sample manifests (examples/, fixtures/) are read only to match workspace globs.
  const all = manifests(ctx, 'package.json', 200, true);
  if (all.length === 0) return null;
  const frameworks = new Set<string>();
  const packageScripts = new Map<string, Record<string, string>>();
  const sampleDirs = new Set<string>();
  for (const file of all) {
    const pkg = await ctx.readJson(file);
    if (!isRecord(pkg)) continue;
    if (isSampleManifest(file)) sampleDirs.add(dirOf(file));
    else for (const f of frameworksFrom(depsOf(pkg), FRAMEWORKS)) frameworks.add(f);
    packageScripts.set(dirOf(file), stringRecord(pkg.scripts));
  }
  if (!ctx.has('package.json') && packageScripts.size === sampleDirs.size) return null;
  if (!ctx.has('package.json')) {
    return {
      packageManagers: ['npm'],
      frameworks: [...frameworks],
      languages: ['JavaScript', 'TypeScript'],
    };
  }
  const raw = await ctx.readJson('package.json');
  const pkg = isRecord(raw) ? raw : {};
  const { runner, sure, lock } = runnerOf(ctx, pkg);
  const scripts = stringRecord(pkg.scripts);
  const deps = depsOf(pkg);
  const commands: Commands = {};
  const why = (s: string) =>
    `package.json scripts.${s}${lock ? (lock.startsWith('..') ? ` (lockfile ${lock})` : '') : ' (no lockfile: npm assumed)'}`;
  for (const name of Object.keys(SCRIPT_NAMES) as CommandName[]) {
    const script = scriptFor(name, scripts);
    if (script) offer(commands, name, guess(runScript(runner, script), why(script), 2, sure));
  }

  const globs = await workspaceGlobs(ctx, pkg, runner);
  const packageDirs = [...packageScripts.keys()].filter((d) => d !== '.');
  const workspaces: Workspace[] = [];
  const members = await matchPackages(globs, packageDirs);
  // Workspace members are the project's, even under examples/.
  if (members.length > 0) {
    for (const m of members.filter((d) => sampleDirs.has(d))) {
      const pkg = await ctx.readJson(`${m}/package.json`);
      if (isRecord(pkg)) for (const f of frameworksFrom(depsOf(pkg), FRAMEWORKS)) frameworks.add(f);
    }
  }
  if (members.length > 0) {
    workspaces.push({ tool: runner, packages: members });
    const berry = ctx.has('.yarnrc.yml');
    for (const name of ['build', 'test', 'lint', 'typecheck'] as CommandName[]) {
      if (commands[name]) continue;
      const script = SCRIPT_NAMES[name].find((s) =>
        members.some((m) => packageScripts.get(m)?.[s]),
      );
      if (script) {
        const cmd = recursive(runner, script, berry);
        offer(
          commands,
          name,
          guess(cmd, `workspace packages' scripts.${script}`, 2, sure && runner !== 'bun'),
        );
      }
    }
  }

  const hasTsconfig = ctx.has('tsconfig.json');
  if (deps.has('vitest'))
    offer(
      commands,
      'test',
      guess(exec(runner, 'vitest run'), 'vitest dependency', 1, sure, [depAt(pkg, 'vitest')]),
    );
  else if (deps.has('jest'))
    offer(
      commands,
      'test',
      guess(exec(runner, 'jest'), 'jest dependency', 1, sure, [depAt(pkg, 'jest')]),
    );
  else if (deps.has('mocha'))
    offer(
      commands,
      'test',
      guess(exec(runner, 'mocha'), 'mocha dependency', 1, sure, [depAt(pkg, 'mocha')]),
    );
  const eslintConfig = ctx.files.some((f) =>
    /^(eslint\.config\.[cm]?[jt]s|\.eslintrc(\.[a-z]+)?)$/.test(f),
  );
  if (deps.has('@biomejs/biome')) {
    offer(
      commands,
      'lint',
      guess(exec(runner, 'biome lint .'), 'biome dependency', 1, sure, [
        depAt(pkg, '@biomejs/biome'),
      ]),
    );
    offer(
      commands,
      'format',
      guess(exec(runner, 'biome format --write .'), 'biome dependency', 1, sure, [
        depAt(pkg, '@biomejs/biome'),
      ]),
    );
  }
  if (deps.has('eslint') || eslintConfig) {
    offer(
      commands,
      'lint',
      guess(
        exec(runner, 'eslint .'),
        eslintConfig ? 'eslint config' : 'eslint dependency',
        1,
        sure && deps.has('eslint'),
      ),
    );
  }
  if (hasTsconfig && deps.has('typescript')) {
    offer(
      commands,
      'typecheck',
      guess(exec(runner, 'tsc --noEmit'), 'tsconfig.json + typescript', 1, sure, [
        { file: 'tsconfig.json' },
        depAt(pkg, 'typescript'),
      ]),
    );
  }
  if (deps.has('prettier')) {
    offer(
      commands,
      'format',
      guess(exec(runner, 'prettier --write .'), 'prettier dependency', 1, sure, [
        depAt(pkg, 'prettier'),
      ]),
    );
  }
  return {
    packageManagers: [runner],
    manifest: 'package.json',
    frameworks: [...frameworks],
    commands,
    workspaces,
    languages: ['TypeScript', 'JavaScript', 'Vue', 'Svelte', 'Astro'],
  };
}
