import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NODE_TEST_REPORTER } from './node-test.js';
import { basename, packageScript, simpleCommand, toolIndex, type Word } from './command.js';
import type { InstrumentedCommand, ReportFile } from './types.js';

/** A shell word for a path mmm made (temp dirs): single-quoted. */
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const has = (words: readonly Word[], re: RegExp): boolean => words.some((w) => re.test(w.text));

/** The runner a simple command invokes, by the word naming its tool. */
export function runnerOf(words: readonly Word[]): string | undefined {
  const at = toolIndex(words);
  const tool = basename(words[at]?.text ?? '').replace(/\.(?:js|mjs|cjs|bat|cmd|exe)$/, '');
  const next = words[at + 1]?.text;
  const rest = words.slice(at + 1);
  switch (tool) {
    case 'vitest':
    case 'jest':
    case 'mocha':
    case 'rspec':
    case 'phpunit':
    case 'go':
      return tool === 'go' ? (next === 'test' ? 'go' : undefined) : tool;
    case 'pest':
      return 'phpunit';
    case 'pytest':
    case 'py.test':
      return 'pytest';
    case 'node':
      return has(rest, /^--test$/) ? 'node-test' : undefined;
    case 'cargo':
      return next === 'test' || next === 'nextest' ? 'cargo' : undefined;
    case 'rake':
      return 'minitest';
    case 'rails':
      return next === 'test' ? 'minitest' : undefined;
    case 'ruby':
      return has(rest, /(?:_test|^test_[^/]*)\.rb$/) ? 'minitest' : undefined;
    case 'mvn':
    case 'mvnw':
      return 'maven';
    case 'gradle':
    case 'gradlew':
      return 'gradle';
    case 'dotnet':
      return next === 'test' ? 'dotnet' : undefined;
    default:
      return undefined;
  }
}

/**
 * What `node --test` prints when its output is not a terminal: TAP before Node 23, spec
 * since. Naming any reporter replaces the default, so mmm names the default one again and
 * the console reads as it would without mmm.
 */
export function nodeDefaultReporter(version = process.versions.node): 'tap' | 'spec' {
  return Number(version.split('.')[0]) >= 23 ? 'spec' : 'tap';
}

interface Plan {
  /** Flags to add after the last word (they reach the runner as its own arguments). */
  append?: string;
  /** Flags to add right after a word (node's options must precede its file arguments). */
  insert?: { after: number; flags: string };
  /** Redirect stdout to this file (go test -json). */
  stdoutTo?: string;
  reports: ReportFile[];
}

/**
 * Reporter flags for one runner invocation, or null when the command already chose its
 * reporters (adding ours could change or break what it prints).
 */
async function planFor(runner: string, words: readonly Word[], dir: string): Promise<Plan | null> {
  const at = toolIndex(words);
  switch (runner) {
    case 'vitest': {
      if (has(words, /^--(?:outputFile|reporter=json|json)\b/)) return null;
      const path = join(dir, 'vitest.json');
      const console = has(words, /^--reporter\b/) ? '' : '--reporter=default ';
      return {
        append: `${console}--reporter=json --outputFile.json=${q(path)}`,
        reports: [{ format: 'jest-json', path }],
      };
    }
    case 'jest': {
      if (has(words, /^--(?:json|outputFile)\b/)) return null;
      const path = join(dir, 'jest.json');
      return { append: `--json --outputFile=${q(path)}`, reports: [{ format: 'jest-json', path }] };
    }
    case 'node-test': {
      if (has(words, /^--test-reporter/)) return null;
      const reporter = join(dir, 'mmm-node-reporter.mjs');
      await writeFile(reporter, NODE_TEST_REPORTER);
      const path = join(dir, 'node-test.jsonl');
      return {
        insert: {
          after: at,
          flags:
            `--test-reporter=${nodeDefaultReporter()} --test-reporter-destination=stdout ` +
            `--test-reporter=${q(reporter)} --test-reporter-destination=${q(path)}`,
        },
        reports: [{ format: 'node-test', path }],
      };
    }
    case 'go': {
      if (has(words, /^-(?:json|c|o|list|bench|fuzz)\b/)) return null;
      const path = join(dir, 'go.jsonl');
      return { insert: { after: at + 1, flags: '-json' }, stdoutTo: path, reports: [] };
    }
    case 'phpunit': {
      if (has(words, /^--log-junit\b/)) return null;
      const path = join(dir, 'phpunit.xml');
      return { append: `--log-junit ${q(path)}`, reports: [{ format: 'junit-xml', path }] };
    }
    case 'dotnet': {
      if (has(words, /^--(?:logger|results-directory)\b|^-l$/)) return null;
      const trxDir = join(dir, 'trx');
      return {
        append: `--logger trx --results-directory ${q(trxDir)}`,
        reports: [{ format: 'trx', path: trxDir }],
      };
    }
    case 'minitest': {
      const tool = basename(words[at]?.text ?? '');
      if (tool === 'rake' || has(words, /^(?:-v|--verbose)$/)) return null;
      return { append: '-v', reports: [] };
    }
    default:
      return null;
  }
}

async function scriptOf(root: string, name: string): Promise<string | undefined> {
  try {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      scripts?: Record<string, unknown>;
    };
    const script = pkg.scripts?.[name];
    return typeof script === 'string' ? script : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Prepares a project's test command to leave a machine-readable report in `reportDir`
 * without changing which tests run: reporter flags are added only to a command that is
 * one runner invocation (directly, through npx/bundle exec/uv run…, or as `npm test` /
 * `npm run x` whose script is one), and environment variables the runners read
 * (PYTEST_ADDOPTS, SPEC_OPTS, TESTOPTS) reach runners anywhere in the command.
 * Anything else runs as written; its console output is parsed instead.
 */
export async function instrumentTestCommand(
  command: string,
  root: string,
  reportDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<InstrumentedCommand> {
  const result: InstrumentedCommand = { command, env: {}, reportFiles: [], scanJunitDirs: false };
  const words = simpleCommand(command);
  let plan: Plan | null = null;
  if (words) {
    // `FOO=1 npm test`: the assignments stay in front; the script is read after them.
    const lead = words.findIndex((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.text));
    const script = lead >= 0 ? packageScript(words.slice(lead)) : null;
    const scriptText = script ? await scriptOf(root, script.script) : undefined;
    const scriptWords = scriptText ? simpleCommand(scriptText) : null;
    // `yarn jest`, `pnpm vitest`: no such script, so the package manager runs the binary.
    const direct = script && script.manager !== 'npm' && scriptText === undefined;
    if (script && scriptWords) {
      const runner = runnerOf(scriptWords);
      if (runner) result.runner = runner;
      plan = runner ? await planFor(runner, scriptWords, reportDir) : null;
      // Arguments after the script name reach the end of the script; node's options
      // would land after its file arguments, so it qualifies only without any.
      if (plan?.insert) {
        const after = scriptWords.slice(plan.insert.after + 1);
        plan =
          after.every((w) => w.text.startsWith('-')) && !plan.stdoutTo
            ? { ...plan, append: plan.insert.flags, insert: undefined }
            : null;
      }
      if (plan?.stdoutTo) plan = null;
      if (plan?.append) {
        const args = words.slice(lead + script.argsAt);
        const dashes = script.manager === 'npm' && !has(args, /^--$/);
        result.command = `${command} ${dashes ? '-- ' : ''}${plan.append}`;
      }
    } else if (!script || direct) {
      const runner = runnerOf(direct ? words.slice(lead + 1) : words);
      if (runner) result.runner = runner;
      const shift = direct ? lead + 1 : 0;
      plan = runner ? await planFor(runner, words.slice(shift), reportDir) : null;
      if (plan?.insert) plan.insert = { ...plan.insert, after: plan.insert.after + shift };
      if (plan) {
        let text = command;
        if (plan.insert) {
          const end = words[plan.insert.after]?.end ?? text.length;
          text = `${text.slice(0, end)} ${plan.insert.flags}${text.slice(end)}`;
        }
        if (plan.append) text = `${text} ${plan.append}`;
        if (plan.stdoutTo) {
          text = `${text} > ${q(plan.stdoutTo)}`;
          result.stdoutReport = { format: 'go-json', path: plan.stdoutTo };
          if (has(words, /^-(?:test\.)?v(?:=true)?$/)) result.verbose = true;
        }
        result.command = text;
      }
    }
    if (plan) result.reportFiles.push(...plan.reports);
  }
  const runner = result.runner;
  if (!runner || runner === 'pytest') {
    const path = join(reportDir, 'pytest.xml');
    const own = `--junitxml=${q(path)} -o junit_family=xunit1`;
    result.env.PYTEST_ADDOPTS = env.PYTEST_ADDOPTS ? `${env.PYTEST_ADDOPTS} ${own}` : own;
    result.reportFiles.push({ format: 'junit-xml', path });
  }
  if (!runner || runner === 'rspec') {
    const path = join(reportDir, 'rspec.json');
    const own = `--format progress --format json --out ${q(path)}`;
    result.env.SPEC_OPTS = env.SPEC_OPTS ? `${env.SPEC_OPTS} ${own}` : own;
    result.reportFiles.push({ format: 'rspec-json', path });
  }
  if ((!runner || runner === 'minitest') && !env.TESTOPTS) result.env.TESTOPTS = '-v';
  if (!runner || runner === 'maven' || runner === 'gradle') result.scanJunitDirs = true;
  return result;
}
