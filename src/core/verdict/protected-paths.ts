import picomatch from 'picomatch';
import { nestedRuns } from '../tools/command-wrappers.js';
import { splitCommands } from '../tools/shell-words.js';
import { CHECK_CONFIG_GLOBS } from './check-config.js';

/**
 * Paths an attempt may not change, and why: the scripts the checks run (a check the
 * model can rewrite proves nothing), mmm's own directory, CI definitions, the test
 * runners', linters' and type checkers' configuration files, and the globs
 * of config `validate.protect` and spec `protect:`. A spec opts out for the paths it is
 * about with `allow_edit:` — except `.mmm/` and the spec's own file, which stay closed
 * (the spec's checks and criteria are what the attempt is judged by).
 */
export interface ProtectedRule {
  /** The glob or path, as shown in feedback. */
  pattern: string;
  /** Why it is protected, e.g. "run by the spec check `node scripts/check.mjs`". */
  why: string;
  /** Whether a spec's `allow_edit:` can open it. */
  overridable: boolean;
  matches(path: string): boolean;
}

/** CI definitions: changing them changes what "green" means. */
export const CI_GLOBS = [
  '.github/workflows/**',
  '.github/actions/**',
  '.gitlab-ci.yml',
  '.gitlab/ci/**',
  '.circleci/**',
  'azure-pipelines.yml',
  '.azure-pipelines/**',
  'Jenkinsfile',
  '.travis.yml',
  'bitbucket-pipelines.yml',
  '.buildkite/**',
  '.drone.yml',
  'appveyor.yml',
  '.appveyor.yml',
  '.woodpecker.yml',
  '.woodpecker/**',
];

/** Why a runner's, linter's or type checker's own configuration file is protected. */
export const CHECK_CONFIG_WHY =
  'configures how the checks run: test runner, linter, type checker or package manager';

/** A matcher for a glob; a plain path or `dir/` also matches everything below it. */
export function globMatcher(glob: string): (path: string) => boolean {
  const g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  const base = g.endsWith('/') ? `${g}**` : g;
  const patterns = base.endsWith('/**') ? [base] : [base, `${base}/**`];
  return picomatch(patterns, { dot: true });
}

function rule(pattern: string, why: string, overridable: boolean): ProtectedRule {
  return { pattern, why, overridable, matches: globMatcher(pattern) };
}

const MAX_DEPTH = 3;

/**
 * The words of `command` that could name a file in the repository: arguments (and
 * `--flag=value` values) that are relative paths without shell expansion, through
 * `bash -c '…'` scripts. Which of them are files is for the caller to check.
 */
export function commandPathWords(command: string, depth = 0): string[] {
  const out = new Set<string>();
  for (const argv of splitCommands(command)) {
    for (const word of argv) {
      let value = word;
      if (word.startsWith('-')) {
        const eq = word.indexOf('=');
        if (eq < 0) continue;
        value = word.slice(eq + 1);
      }
      if (/[$*?[\]{}`<>|;&]|:\/\//.test(value)) continue;
      const p = value.replace(/^(?:\.\/)+/, '');
      if (!p || p.startsWith('/') || p.split('/').includes('..')) continue;
      out.add(p.replace(/\/+$/, ''));
    }
    if (depth < MAX_DEPTH) {
      const name = (argv[0] ?? '').split('/').at(-1) ?? '';
      for (const script of nestedRuns([name, ...argv.slice(1)]).scripts) {
        for (const w of commandPathWords(script, depth + 1)) out.add(w);
      }
    }
  }
  return [...out];
}

export interface ProtectInput {
  /** Commands the validation runs, with where each comes from. */
  commands: { command: string; origin: string }[];
  /** Which of the commands' path words are files at the attempt's checkpoint. */
  isFile: (path: string) => boolean;
  /** Test files are guarded by the test rules instead (a check may run the test a spec adds to). */
  isTest: (path: string) => boolean;
  /** Config `validate.protect`. */
  configGlobs: readonly string[];
  /** Spec `protect:`. */
  specGlobs: readonly string[];
  /** The spec file the attempt works on. */
  specFile: string;
  /** The run's other spec files. */
  otherSpecFiles?: readonly string[];
}

/** Every protection rule of an attempt. */
export function protectedRules(input: ProtectInput): ProtectedRule[] {
  const rules: ProtectedRule[] = [
    rule('.mmm/', "mmm's configuration and run data", false),
    rule(input.specFile, 'the spec this attempt is judged by (mmm updates it itself)', false),
  ];
  const seen = new Set<string>();
  for (const { command, origin } of input.commands) {
    for (const word of commandPathWords(command)) {
      if (seen.has(word) || !input.isFile(word) || input.isTest(word)) continue;
      seen.add(word);
      rules.push(rule(word, `run by ${origin} \`${command}\``, true));
    }
  }
  for (const g of CI_GLOBS) rules.push(rule(g, 'a CI definition', true));
  for (const g of CHECK_CONFIG_GLOBS) rules.push(rule(g, CHECK_CONFIG_WHY, true));
  for (const g of input.configGlobs) rules.push(rule(g, 'config validate.protect', true));
  for (const g of input.specGlobs) rules.push(rule(g, "the spec's protect: list", true));
  // Another spec's checks and criteria judge a later attempt: editing them would weaken
  // that verdict before it is taken (a spec about the specs opens them with allow_edit:).
  for (const f of input.otherSpecFiles ?? []) {
    if (f !== input.specFile) rules.push(rule(f, 'another spec of this run', true));
  }
  return rules;
}

export interface ProtectedChange {
  path: string;
  rule: ProtectedRule;
}

/** The changed paths that a rule protects and `allow_edit` does not open. */
export function protectedChanges(
  paths: readonly string[],
  rules: readonly ProtectedRule[],
  allowEdit: readonly string[],
): ProtectedChange[] {
  const allowed = allowEdit.map(globMatcher);
  const out: ProtectedChange[] = [];
  for (const path of paths) {
    const open = allowed.some((m) => m(path));
    const hit = rules.find((r) => r.matches(path) && !(r.overridable && open));
    if (hit) out.push({ path, rule: hit });
  }
  return out;
}
