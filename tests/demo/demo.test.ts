import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMmm, type CliResult } from '../support/cli.js';
import { git } from '../support/tmp.js';

/**
 * `mmm demo` end to end through the BUILT binary, in a pipe: the real engine replays the
 * shipped transcript on the sample project, runs its tests and commits. The two full runs
 * (plain and JSON) start together in beforeAll to keep the file short on a busy machine.
 */
const SPECS = ['slugify-separator', 'validate-input', 'truncate-words'];
const TITLES = [
  'Let slugify use a custom separator',
  'Reject bad input with a clear TypeError',
  'Truncate at a word boundary',
];

// One temp root for the whole file (tests/support/tmp.ts removes its dirs after each test).
const root = realpathSync(mkdtempSync(join(tmpdir(), 'mmm-demo-test-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A hermetic environment: own XDG dirs and HOME (no git identity, no npmrc), no API key. */
function env(name: string): Record<string, string | undefined> {
  const home = join(root, `${name}-home`);
  mkdirSync(home, { recursive: true });
  return {
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_STATE_HOME: join(home, 'state'),
    XDG_CACHE_HOME: join(home, 'cache'),
    GIT_CONFIG_NOSYSTEM: '1',
    CI: '1',
    // the user's settings must not derail the recorded run
    ...(name === 'plain'
      ? { MMM_BUDGET__USD: '0.01', MMM_MAX_ITERATIONS: '1', MMM_MODEL: 'claude-other-1' }
      : {}),
  };
}

/** The plain run starts inside another repository, which must stay as it was. */
const userRepo = join(root, 'user-repo');

function demo(name: string, ...flags: string[]): Promise<CliResult> {
  return runMmm(['demo', '--dir', join(root, name), ...flags], {
    cwd: name === 'plain' ? userRepo : root,
    env: env(name),
    timeoutMs: 150_000,
  });
}

let plain: CliResult;
let json: CliResult;

beforeAll(async () => {
  mkdirSync(userRepo);
  writeFileSync(join(userRepo, 'README.md'), 'my project\n');
  git(userRepo, 'init', '-q', '-b', 'trunk');
  git(userRepo, 'add', '-A');
  git(userRepo, '-c', 'user.name=T', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'mine');
  [plain, json] = await Promise.all([
    demo('plain', '--no-tui', '--delay', '0'),
    demo('json', '--json', '--delay', '0'),
  ]);
}, 180_000);

function demoBranch(dir: string): string {
  const branches = git(dir, 'branch', '--list', 'mmm/*', '--format=%(refname:short)');
  expect(branches.split('\n')).toHaveLength(1);
  expect(branches).toMatch(/^mmm\/\S+$/);
  return branches;
}

describe('mmm demo --no-tui (in a pipe)', () => {
  const dir = join(root, 'plain');

  it('exits 0 and says where the result is', () => {
    expect(plain.stderr, plain.stdout).toBe('');
    expect(plain.exitCode, plain.stdout).toBe(0);
    expect(plain.stdout).toContain(`mmm demo: sample project created in ${dir}`);
    expect(plain.stdout).toMatch(/run completed: all 3 specs done/);
    expect(plain.stdout).toContain(`The demo repository is ${dir}; to look around:`);
    expect(plain.stdout).toContain(`git log --stat main..${demoBranch(dir)}`);
    expect(plain.stdout).toContain('mmm report --out report.html');
    // plain progress: no cursor movement or colors in a pipe
    expect(plain.stdout).not.toContain('\u001b[');
  });

  it('leaves a branch with one commit per spec, in dependency order, with trailers', () => {
    const branch = demoBranch(dir);
    const runId = branch.slice('mmm/'.length);
    const commits = git(dir, 'log', '--reverse', '--format=%H', `main..${branch}`).split('\n');
    expect(commits).toHaveLength(3);
    commits.forEach((sha, i) => {
      expect(git(dir, 'log', '-1', '--format=%s', sha)).toBe(`mmm: ${TITLES[i]}`);
      const trailers = git(dir, 'log', '-1', '--format=%(trailers:only,unfold)', sha);
      expect(trailers).toContain(`Mmm-Run: ${runId}`);
      expect(trailers).toContain(`Mmm-Spec: ${SPECS[i]}`);
      // validate-input fails validation on attempt 1 and is committed by attempt 2
      expect(trailers).toContain(`Mmm-Attempt: ${i === 1 ? 2 : 1}`);
    });
    // the failed attempt was rolled back: nothing of it between the commits
    expect(git(dir, 'rev-list', '--count', `main..${branch}`)).toBe('3');
  });

  it('marks every spec done with its criteria ticked on the branch', () => {
    const branch = demoBranch(dir);
    const files = git(dir, 'ls-tree', '--name-only', `${branch}:specs`).split('\n');
    expect(files).toHaveLength(3);
    for (const file of files) {
      const text = git(dir, 'show', `${branch}:specs/${file}`);
      expect(text, file).toMatch(/^status: done$/m);
      expect(text, file).toMatch(/^- \[x\] /m);
      expect(text, file).not.toMatch(/^- \[ \] /m);
    }
    // main still has the specs as they were shipped
    expect(readFileSync(join(dir, 'specs', files[0] ?? ''), 'utf8')).toMatch(/^status: ready$/m);
  });

  it("the branch's tree passes its own tests", () => {
    const branch = demoBranch(dir);
    const tree = join(root, 'plain-check');
    git(dir, 'worktree', 'add', '-q', '--detach', tree, branch);
    expect(readdirSync(join(tree, 'test')).sort()).toEqual([
      'slugify.test.js',
      'truncate.test.js',
      'validate.test.js',
    ]);
    const out = execFileSync(process.execPath, ['--test', 'test/'], {
      cwd: tree,
      encoding: 'utf8',
      env: { ...process.env, NODE_TEST_CONTEXT: undefined },
    });
    expect(out).toMatch(/^# fail 0$/m);
    expect(out).toMatch(/^# pass 9$/m);
  });

  it('leaves the repository it was started from alone', () => {
    expect(git(userRepo, 'status', '--porcelain', '--ignored')).toBe('');
    expect(git(userRepo, 'branch', '--format=%(refname:short)')).toBe('trunk');
    expect(readdirSync(userRepo).sort()).toEqual(['.git', 'README.md']);
  });

  it("leaves the demo repository's checkout on main, clean", () => {
    expect(git(dir, 'branch', '--show-current')).toBe('main');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'rev-list', '--count', 'main')).toBe('1');
  });
});

describe('mmm demo --json', () => {
  it('prints only JSON events on stdout, ending with a completed run_end', () => {
    expect(json.exitCode, json.stderr).toBe(0);
    const lines = json.stdout.trimEnd().split('\n');
    const events = lines.map((line, i) => {
      try {
        return JSON.parse(line) as { type: string; [k: string]: unknown };
      } catch {
        throw new Error(`stdout line ${i + 1} is not JSON: ${line}`);
      }
    });
    expect(events[0]?.type).toBe('run_start');
    const end = events.at(-1);
    expect(end).toMatchObject({ type: 'run_end', status: 'completed', exitCode: 0 });
    const outcomes = events
      .filter((e) => e.type === 'attempt_end')
      .map((e) => `${String(e.specId)}#${String(e.attempt)}:${String(e.outcome)}`);
    expect(outcomes).toEqual([
      'slugify-separator#1:passed',
      'validate-input#1:failed',
      'validate-input#2:passed',
      'truncate-words#1:passed',
    ]);
    expect(demoBranch(join(root, 'json'))).toBe(end?.branch);
  });

  it('writes the human messages to stderr', () => {
    const dir = join(root, 'json');
    expect(json.stderr).toContain(`mmm demo: sample project created in ${dir}`);
    expect(json.stderr).toContain(`The demo repository is ${dir}; to look around:`);
    expect(json.stdout).not.toContain('mmm demo:');
  });
});

describe('mmm demo --dir <existing path>', () => {
  it('exits 2 with a clear message and touches nothing', async () => {
    const dir = join(root, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const r = await demo('taken', '--no-tui');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${dir} already exists`);
    expect(r.stderr).toMatch(/give --dir a path that does not exist yet/);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
  });
});
