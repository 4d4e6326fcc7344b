/**
 * End-to-end helpers for `mmm improve`: a scripted model on the fake Anthropic server
 * that reacts to each request (which task, which turn, what the feedback said), real
 * temporary repositories, and the built binary.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedRequest, ScriptedReply } from '../support/fake-anthropic.js';
import { MMM_BIN, type CliResult } from '../support/cli.js';
import { git, gitRepo, tempDir, type FileTree } from '../support/tmp.js';

/** What a scripted model sees of a request. */
export interface Turn {
  /** The task id in the system prompt (`(review)` for a review round). */
  taskId: string;
  /** 1 for the first request of an attempt, 2 after the first tool results, … */
  turn: number;
  /** The whole system prompt (task, checks, earlier attempts' feedback). */
  system: string;
  /** Text of the tool results sent back in this request. */
  toolResults: string[];
  request: RecordedRequest;
}

function systemText(request: RecordedRequest): string {
  const system = request.body.system;
  if (typeof system === 'string') return system;
  return (system ?? []).map((b) => b.text).join('\n');
}

export function describeTurn(request: RecordedRequest): Turn {
  const system = systemText(request);
  const taskId = /<task id="([^"]*)"/.exec(system)?.[1] ?? '';
  const messages = request.body.messages;
  const last = messages.at(-1);
  const toolResults: string[] = [];
  if (last && Array.isArray(last.content)) {
    for (const block of last.content) {
      if (block.type !== 'tool_result') continue;
      const content = (block as { content?: unknown }).content;
      toolResults.push(typeof content === 'string' ? content : JSON.stringify(content));
    }
  }
  return { taskId, turn: Math.ceil(messages.length / 2), system, toolResults, request };
}

/** A reply that creates (or overwrites) a file with the edit tool. */
export function createFile(
  path: string,
  text: string,
  summary = `I will create ${path}.`,
): ScriptedReply {
  return {
    content: [
      { type: 'text', text: summary },
      {
        type: 'tool_use',
        name: 'str_replace_based_edit_tool',
        input: { command: 'create', path, file_text: text },
      },
    ],
    usage: { input_tokens: 1000, output_tokens: 100 },
  };
}

/** A reply that runs a shell command. */
export function runCommand(command: string): ScriptedReply {
  return {
    content: [{ type: 'tool_use', name: 'bash', input: { command } }],
    usage: { input_tokens: 1000, output_tokens: 50 },
  };
}

/** The end of an attempt: the model's summary. */
export function finish(summary: string): ScriptedReply {
  return {
    content: [{ type: 'text', text: summary }],
    usage: { input_tokens: 1000, output_tokens: 80 },
  };
}

/**
 * A model that, for each task, creates one file on its first turn and ends its turn
 * on the second. `files[taskId]` gives the file (path and content) per task.
 */
export function fileWritingModel(
  files: Record<string, { path: string; text: string | ((t: Turn) => string) }>,
): (request: RecordedRequest) => ScriptedReply {
  return (request) => {
    const t = describeTurn(request);
    const file = files[t.taskId];
    if (!file) return finish(`Nothing to do for ${t.taskId}.`);
    if (t.turn === 1) {
      const text = typeof file.text === 'function' ? file.text(t) : file.text;
      return createFile(file.path, text);
    }
    return finish(`Created ${file.path} for ${t.taskId}.`);
  };
}

export interface SpecInput {
  id: string;
  title: string;
  dependsOn?: string[];
  checks?: string[];
  status?: string;
  maxAttempts?: number;
  /** `files:` globs (what the work is expected to touch; parallel runs schedule by them). */
  files?: string[];
}

/** A spec file in mmm's format. `checks` are YAML list items, e.g. `file_exists: a.txt`. */
export function specFile(spec: SpecInput): string {
  const lines = [
    '---',
    `id: ${spec.id}`,
    `title: ${spec.title}`,
    `status: ${spec.status ?? 'ready'}`,
    'priority: medium',
  ];
  if (spec.dependsOn?.length) lines.push(`depends_on: [${spec.dependsOn.join(', ')}]`);
  if (spec.maxAttempts) lines.push(`max_attempts: ${spec.maxAttempts}`);
  if (spec.files?.length)
    lines.push(`files: [${spec.files.map((f) => JSON.stringify(f)).join(', ')}]`);
  if (spec.checks?.length) {
    lines.push('checks:');
    for (const c of spec.checks) lines.push(`  - ${c}`);
  }
  lines.push(
    '---',
    `# ${spec.title}`,
    '',
    '## Objective',
    '',
    `Do ${spec.id}.`,
    '',
    '## Acceptance Criteria',
    '',
    `- [ ] ${spec.id} is done`,
    `- [ ] nothing else broke`,
    '',
  );
  return lines.join('\n');
}

/** `[commands]` of .mmm/config.toml: a test command, and only it is validated. */
export const TEST_CONFIG = `[commands]
test = "node check.js"
lint = ""
typecheck = ""
build = ""
format = ""

[validate]
run = ["test"]
timeout = 60
`;

/** A check script: fails (exit 1, naming the file) when a file listed in MUST_NOT_CONTAIN has "bug". */
export const CHECK_JS = `const fs = require('node:fs');
let failed = 0;
for (const f of fs.readdirSync('.')) {
  if (f.endsWith('.txt') && fs.readFileSync(f, 'utf8').includes('bug')) {
    console.log('not ok - ' + f + ' contains a bug');
    failed++;
  }
}
console.log(failed ? failed + ' failed' : 'all ok');
process.exit(failed ? 1 : 0);
`;

/** A committed repository with the config, the check script and the specs. */
export function improveRepo(specs: SpecInput[], extra: FileTree = {}): string {
  const tree: FileTree = {
    '.mmm/config.toml': TEST_CONFIG,
    'check.js': CHECK_JS,
    'README.md': '# sample\n',
    ...extra,
  };
  specs.forEach((spec, i) => {
    tree[`specs/${String(i + 1).padStart(2, '0')}-${spec.id}.md`] = specFile(spec);
  });
  return gitRepo(tree);
}

/** Environment for the binary: the fake server, a test key, private XDG dirs. */
export function modelEnv(url: string): Record<string, string> {
  const home = tempDir('mmm-home-');
  return {
    ANTHROPIC_BASE_URL: url,
    ANTHROPIC_API_KEY: 'test',
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
  };
}

/**
 * The binary under test: the build in dist/, or MMM_TEST_BIN (a private build, so that a
 * long run such as the kill test is not disturbed by someone rebuilding dist/).
 */
const BIN = process.env.MMM_TEST_BIN ?? MMM_BIN;

/** `mmm improve --json …` to its end. */
export function improve(
  repo: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<CliResult> {
  return spawnImprove(repo, args, env).done;
}

/** The JSON events printed by `--json`. */
export function events(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function runEnd(
  stdout: string,
): Record<string, unknown> & { branch: string; status: string } {
  const end = events(stdout).find((e) => e.type === 'run_end');
  if (!end) throw new Error(`no run_end event in:\n${stdout.slice(-2000)}`);
  return end as Record<string, unknown> & { branch: string; status: string };
}

/** Commits of `branch` after the base, oldest first: full messages. */
export function branchMessages(repo: string, branch: string, base = 'main'): string[] {
  const out = git(repo, 'log', '--reverse', '--format=%B%x00', `${base}..${branch}`);
  return out
    .split('\0')
    .map((m) => m.trim())
    .filter(Boolean);
}

export function fileAt(repo: string, branch: string, path: string): string {
  return git(repo, 'show', `${branch}:${path}`);
}

export function runState(repo: string, runId: string): Record<string, unknown> {
  return JSON.parse(
    readFileSync(join(repo, '.mmm', 'runs', runId, 'state.json'), 'utf8'),
  ) as Record<string, unknown>;
}

export function runIdOf(branch: string): string {
  return branch.replace(/^mmm\//, '');
}

export interface LiveRun {
  child: ChildProcess;
  /** Resolves with the first JSON event for which `match` is true. */
  waitFor(match: (event: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  done: Promise<CliResult>;
}

/** Spawn `mmm improve --json` and watch its events while it runs (to signal it mid-run). */
export function spawnImprove(
  repo: string,
  args: string[],
  env: Record<string, string | undefined>,
): LiveRun {
  const fullEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('ANTHROPIC_') && !k.startsWith('MMM_')) fullEnv[k] = v;
  }
  fullEnv.NO_COLOR = '1';
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete fullEnv[k];
    else fullEnv[k] = v;
  }
  const child = spawn(process.execPath, [BIN, 'improve', '--json', ...args], {
    cwd: repo,
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const seen: Record<string, unknown>[] = [];
  const waiters: {
    match: (e: Record<string, unknown>) => boolean;
    resolve: (e: Record<string, unknown>) => void;
  }[] = [];
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    partial += d;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const event = JSON.parse(line) as Record<string, unknown>;
      seen.push(event);
      for (const w of [...waiters]) {
        if (w.match(event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(event);
        }
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, stdout, stderr });
    });
  });
  return {
    child,
    done,
    waitFor: (match) => {
      const found = seen.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        waiters.push({ match, resolve });
        void done.then((r) =>
          reject(
            new Error(`the run ended (exit ${r.exitCode}) before the awaited event:\n${r.stderr}`),
          ),
        );
      });
    },
  };
}
