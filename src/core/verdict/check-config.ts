import { splitCommands } from '../tools/shell-words.js';

/**
 * What configures the checks an attempt is judged by: the test runner's, linter's and type
 * checker's own files (protected whole, see protected-paths.ts), and the parts of shared
 * files that do the same job — the package.json scripts and Makefile targets the check
 * commands run, package.json's `jest` / `eslintConfig` keys, and the `[tool.pytest…]`,
 * `[tool.ruff…]`, `[tool.mypy]`, `[flake8]`, `[testenv]`… tables of pyproject.toml,
 * setup.cfg, tox.ini and Cargo.toml. An attempt that rewrites `"test": "vitest run"` into
 * `"test": "echo ok"`, turns a lint rule off or adds `--ignore=tests` to pytest's addopts
 * changes what passing means. Pure: the texts come from guard-git.ts.
 */

/** Files whose whole content configures a test runner, linter or type checker (any directory). */
export const CHECK_CONFIG_GLOBS: readonly string[] = [
  // JS/TS
  '**/eslint.config.{js,mjs,cjs,ts,mts,cts}',
  '**/.eslintrc',
  '**/.eslintrc.{js,cjs,mjs,json,yaml,yml}',
  '**/.eslintignore',
  '**/tsconfig.json',
  '**/tsconfig.*.json',
  '**/jsconfig.json',
  '**/vitest.config.*',
  '**/vitest.workspace.*',
  '**/jest.config.*',
  '**/.mocharc*',
  '**/ava.config.*',
  '**/karma.conf.*',
  '**/playwright.config.*',
  '**/biome.json',
  '**/biome.jsonc',
  '**/.oxlintrc.json',
  // Python
  '**/pytest.ini',
  '**/.pytest.ini',
  '**/ruff.toml',
  '**/.ruff.toml',
  '**/.flake8',
  '**/mypy.ini',
  '**/.mypy.ini',
  '**/.pylintrc',
  '**/pylintrc',
  '**/pyrightconfig.json',
  // Ruby, Go, Rust, PHP, Swift
  '**/.rubocop.yml',
  '**/.rubocop_todo.yml',
  '**/.rspec',
  '**/.golangci.{yml,yaml,toml,json}',
  '**/clippy.toml',
  '**/.clippy.toml',
  '**/.config/nextest.toml',
  '**/phpunit.xml',
  '**/phpunit.xml.dist',
  '**/phpstan.neon',
  '**/phpstan.neon.dist',
  '**/phpstan.dist.neon',
  '**/psalm.xml',
  '**/phpcs.xml',
  '**/phpcs.xml.dist',
  '**/.swiftlint.yml',
  // Coverage thresholds a test command may enforce
  '**/.coveragerc',
  '**/.nycrc',
  '**/.nycrc.{json,yml,yaml}',
  '**/.c8rc',
  '**/.c8rc.json',
  // Package managers: `script-shell=/bin/true` in .npmrc makes every `npm run …` exit 0.
  '**/.npmrc',
  '**/.yarnrc',
  '**/.yarnrc.yml',
  '**/bunfig.toml',
];

/** package.json keys that configure a check. */
const PACKAGE_KEYS = ['jest', 'eslintConfig', 'eslintIgnore', 'mocha', 'ava'];

/** INI/TOML tables that configure a check, per shared file name. */
const TABLES: Record<string, RegExp> = {
  'pyproject.toml':
    /^(?:tool\.(?:pytest|ruff|mypy|pyright|basedpyright|pylint|flake8|tox|coverage\.report)\b)/,
  'setup.cfg': /^(?:tool:pytest|flake8|mypy|pylint|pycodestyle|pydocstyle)\b/,
  'tox.ini': /^(?:pytest|flake8|mypy|testenv|tox)\b/,
  'Cargo.toml': /^(?:lints|workspace\.lints)\b/,
};

const MAKEFILES = new Set(['Makefile', 'makefile', 'GNUmakefile']);

function fileName(path: string): string {
  return path.split('/').at(-1) ?? path;
}

/** Whether `path` is a shared file some part of which can configure a check. */
export function isSharedCheckConfig(path: string): boolean {
  const name = fileName(path);
  return name === 'package.json' || name in TABLES || MAKEFILES.has(name);
}

/** The package scripts and make targets `command` runs. */
export function commandTargets(command: string): { scripts: string[]; makeTargets: string[] } {
  const scripts: string[] = [];
  const makeTargets: string[] = [];
  for (const argv of splitCommands(command)) {
    const [tool, ...rest] = argv;
    const name = fileName(tool ?? '');
    const args = rest.filter((w) => !w.startsWith('-'));
    if (name === 'npm') {
      if (args[0] === 'test' || args[0] === 't') scripts.push('test');
      else if ((args[0] === 'run' || args[0] === 'run-script') && args[1]) scripts.push(args[1]);
    } else if (name === 'yarn' || name === 'pnpm' || name === 'bun') {
      const [first, second] = args;
      if (first === 'run' && second) scripts.push(second);
      // `bun test` is bun's own runner, not a script.
      else if (first && name !== 'bun' && !['exec', 'dlx', 'install', 'add'].includes(first))
        scripts.push(first);
    } else if (name === 'make' || name === 'gmake') {
      const targets = rest.filter((w) => !w.startsWith('-') && !w.includes('='));
      makeTargets.push(...(targets.length ? targets : ['(default)']));
    }
  }
  return { scripts, makeTargets };
}

/**
 * Sections of a shared file's text: name → text, only those that configure a check;
 * undefined when the text cannot be read (a broken package.json breaks the command itself,
 * and the verdict sees that).
 */
export function checkSections(
  path: string,
  text: string,
  commands: readonly string[],
): Map<string, string> | undefined {
  const name = fileName(path);
  if (name === 'package.json') return packageSections(text, commands);
  if (MAKEFILES.has(name)) return makeSections(text, commands);
  const table = TABLES[name];
  return table ? iniSections(text, table) : new Map();
}

function packageSections(
  text: string,
  commands: readonly string[],
): Map<string, string> | undefined {
  const out = new Map<string, string>();
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof pkg !== 'object' || pkg === null) return undefined;
  const record = pkg as Record<string, unknown>;
  const scripts = (
    typeof record.scripts === 'object' && record.scripts !== null ? record.scripts : {}
  ) as Record<string, unknown>;
  // The scripts the commands run, and those these run in turn (`"test": "npm run lint && …"`).
  const wanted = commands.flatMap((c) => commandTargets(c).scripts);
  const seen = new Set<string>();
  while (wanted.length) {
    const script = wanted.pop() as string;
    for (const s of [script, `pre${script}`, `post${script}`]) {
      if (seen.has(s)) continue;
      seen.add(s);
      const body = scripts[s];
      if (typeof body === 'string') {
        out.set(`scripts.${s}`, body);
        wanted.push(...commandTargets(body).scripts);
      } else if (s !== script) {
        // A pre/post script added around one the checks run is a change to it.
        out.set(`scripts.${s}`, '(none)');
      }
    }
  }
  for (const key of PACKAGE_KEYS) {
    if (key in record) out.set(key, JSON.stringify(record[key]));
  }
  return out;
}

/** `[table]` blocks (INI or TOML) whose name `wanted` matches, header to next header. */
function iniSections(text: string, wanted: RegExp): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:[#;].*)?$/.exec(line);
    if (header) {
      const table = (header[1] ?? '').replace(/["']/g, '');
      current = wanted.test(table) ? table : undefined;
      if (current !== undefined) out.set(current, out.get(current) ?? '');
      continue;
    }
    if (current === undefined || /^\s*(?:[#;].*)?$/.test(line)) continue;
    out.set(current, `${out.get(current)}${line.trim()}\n`);
  }
  return out;
}

/** Every rule of a Makefile: target → its rule line and recipe; the first target first. */
function makeRules(text: string): Map<string, string> {
  const rules = new Map<string, string>();
  let current: string[] = [];
  for (const line of text.split('\n')) {
    const rule = /^([A-Za-z0-9_./%-][^:=#\s]*(?:\s+[^:=#\s]+)*)\s*::?(?!=)(.*)$/.exec(line);
    if (rule && !line.startsWith('\t')) {
      current = (rule[1] ?? '').split(/\s+/);
      for (const n of current) rules.set(n, `${rules.get(n) ?? ''}${line.trim()}\n`);
      continue;
    }
    if (line.startsWith('\t')) {
      for (const n of current) rules.set(n, `${rules.get(n) ?? ''}${line.trim()}\n`);
    } else if (line.trim() && !line.trim().startsWith('#')) current = [];
  }
  return rules;
}

/**
 * The rule line and recipe of each make target the commands run, and of the targets those
 * depend on or run with `$(MAKE) x` in turn (`test: unit` guards `unit:` too).
 */
function makeSections(text: string, commands: readonly string[]): Map<string, string> {
  const wanted = commands.flatMap((c) => commandTargets(c).makeTargets);
  const out = new Map<string, string>();
  if (!wanted.length) return out;
  const rules = makeRules(text);
  const first = [...rules.keys()].find((n) => !n.startsWith('.'));
  while (wanted.length) {
    const asked = wanted.pop() as string;
    const name = asked === '(default)' ? first : asked;
    if (name === undefined || out.has(`target ${asked}`)) continue;
    const body = rules.get(name);
    if (body === undefined) continue;
    out.set(`target ${asked}`, body);
    const [ruleLine = '', ...recipe] = body.split('\n');
    const prerequisites = ruleLine.replace(/^[^:]*::?/, '').split(/[\s|;]+/);
    wanted.push(...prerequisites.filter((p) => rules.has(p)));
    for (const line of recipe) {
      const sub = /\$[({]MAKE[)}]|\bmake\b/.test(line)
        ? line.split(/\s+/).filter((w) => rules.has(w))
        : [];
      wanted.push(...sub);
    }
  }
  return out;
}

export interface ConfigChange {
  file: string;
  /** `scripts.test`, `tool.pytest.ini_options`, `target test`. */
  section: string;
  before: string | undefined;
  after: string | undefined;
}

/** The check-configuring sections of a shared file that the attempt changed, added or removed. */
export function changedCheckSections(
  path: string,
  before: string | undefined,
  after: string | undefined,
  commands: readonly string[],
): ConfigChange[] {
  const b =
    before === undefined ? new Map<string, string>() : checkSections(path, before, commands);
  const a = after === undefined ? new Map<string, string>() : checkSections(path, after, commands);
  if (!a || !b) return [];
  const out: ConfigChange[] = [];
  for (const section of new Set([...b.keys(), ...a.keys()])) {
    const was = b.get(section);
    const now = a.get(section);
    if (was === now) continue;
    // A script or make target the checks run that did not exist yet is the task's to
    // create (as a check script file is), not a change to a check.
    if (was === undefined && /^(?:scripts\.|target )/.test(section)) continue;
    out.push({ file: path, section, before: was, after: now });
  }
  return out.sort((x, y) => x.section.localeCompare(y.section));
}
