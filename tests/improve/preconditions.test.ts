import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { runMmm } from '../support/cli.js';
import { git, gitRepo, tempDir } from '../support/tmp.js';
import {
  branchMessages,
  events,
  fileWritingModel,
  improve,
  improveRepo,
  modelEnv,
  runEnd,
  specFile,
} from './helpers.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const ONE_SPEC = [{ id: 'one', title: 'Write one', checks: ['file_exists: one.txt'] }];
const MODEL = { one: { path: 'one.txt', text: 'one\n' } };

async function model(): Promise<FakeAnthropic> {
  fake = await startFakeAnthropic({ script: fileWritingModel(MODEL) });
  return fake;
}

describe('mmm improve: preconditions change nothing when they fail', () => {
  it('exits 2 outside a git repository, and in a repository without commits', async () => {
    const env = modelEnv((await model()).url);
    const plain = tempDir();
    const r = await improve(plain, [], env);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('is not a git repository');
    expect(existsSync(join(plain, '.mmm'))).toBe(false);

    const empty = gitRepo({ 'a.txt': 'x' }, { commit: false });
    const e = await improve(empty, [], env);
    expect(e.exitCode).toBe(2);
    expect(e.stderr).toContain('has no commits yet');
    expect(e.stderr).toContain('git commit');
  });

  it('exits 2 on an invalid spec, naming file and line', async () => {
    const repo = gitRepo({
      'specs/01-bad.md': '---\ntitle: Bad\ndepends_on: 7\n---\n# Bad\n',
      'README.md': 'x\n',
    });
    const r = await improve(repo, [], modelEnv((await model()).url));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/specs\/01-bad\.md:3:\d+: /);
    expect(existsSync(join(repo, '.mmm'))).toBe(false);
  });

  it('with no ready spec says there is nothing to do (exit 0) and makes no run', async () => {
    const repo = improveRepo([
      { id: 'old', title: 'Done already', status: 'done' },
      { id: 'idea', title: 'Not yet', status: 'blocked' },
    ]);
    const r = await improve(repo, [], modelEnv((await model()).url));
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(
      'nothing to do: no spec is ready (2 specs: 1 done, 1 failed or blocked)',
    );
    expect(git(repo, 'branch', '--list', 'mmm/*')).toBe('');
    expect(existsSync(join(repo, '.mmm', 'runs'))).toBe(false);
  });

  it('exits 4 without credentials, before anything is created', async () => {
    const repo = improveRepo(ONE_SPEC);
    const env = { ...modelEnv('http://127.0.0.1:9'), ANTHROPIC_API_KEY: undefined };
    const r = await improve(repo, [], env);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('ANTHROPIC_API_KEY');
    expect(readdirSync(join(repo, '.mmm'))).toEqual(['config.toml']);
    expect(git(repo, 'branch', '--list', 'mmm/*')).toBe('');
  });

  it('exits 2 when another live run holds the lock, naming it; takes over a stale lock', async () => {
    const repo = improveRepo(ONE_SPEC);
    const env = modelEnv((await model()).url);
    const lock = join(repo, '.mmm', 'run.lock');
    const holder = {
      pid: process.pid,
      host: hostname(),
      startedAt: '2026-01-01T00:00:00.000Z',
      runId: '20260101-000000-abcd',
    };
    writeFileSync(lock, JSON.stringify(holder) + '\n');
    const r = await improve(repo, [], env);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('another mmm run is active');
    expect(r.stderr).toContain(`run ${holder.runId} (pid ${process.pid}`);
    expect(existsSync(join(repo, '.mmm', 'runs'))).toBe(false);
    expect(readFileSync(lock, 'utf8')).toBe(JSON.stringify(holder) + '\n');

    // A dead holder: the run takes the lock over and says so.
    writeFileSync(lock, JSON.stringify({ ...holder, pid: 2 ** 22 + 17 }) + '\n');
    const ok = await improve(repo, [], env);
    expect(ok.exitCode).toBe(0);
    const warnings = events(ok.stdout).filter((e) => e.type === 'warning');
    expect(warnings.map((w) => w.message).join('\n')).toContain('took over the lock');
    expect(existsSync(lock)).toBe(false);
  });

  it('leaves a dirty checkout byte for byte as it was, and uses its uncommitted specs', async () => {
    const repo = improveRepo(ONE_SPEC);
    writeFileSync(join(repo, 'README.md'), '# changed but not committed\r\n');
    writeFileSync(join(repo, 'scratch.bin'), Buffer.from([0, 1, 2, 255]));
    // A spec written but not committed yet.
    writeFileSync(
      join(repo, 'specs', '02-two.md'),
      specFile({ id: 'two', title: 'Write two', checks: ['file_exists: two.txt'] }),
    );
    const before = git(repo, 'status', '--porcelain');
    const snapshot = (): Record<string, string> =>
      Object.fromEntries(
        ['README.md', 'scratch.bin', 'specs/02-two.md', 'specs/01-one.md'].map((f) => [
          f,
          readFileSync(join(repo, f)).toString('base64'),
        ]),
      );
    const files = snapshot();
    const head = git(repo, 'rev-parse', 'HEAD');
    fake = await startFakeAnthropic({
      script: fileWritingModel({ ...MODEL, two: { path: 'two.txt', text: 'two\n' } }),
    });
    const r = await improve(repo, [], modelEnv(fake.url));
    expect(r.exitCode).toBe(0);
    expect(snapshot()).toEqual(files);
    expect(git(repo, 'status', '--porcelain')).toBe(before);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    const warnings = events(r.stdout)
      .filter((e) => e.type === 'warning')
      .map((e) => String(e.message));
    expect(warnings.join('\n')).toMatch(/uncommitted changes .* were left alone|left alone/);
    const subjects = branchMessages(repo, runEnd(r.stdout).branch).map((m) => m.split('\n')[0]);
    expect(subjects).toEqual([
      'mmm: use the uncommitted spec files of the checkout',
      'mmm: Write one',
      'mmm: Write two',
    ]);
  });

  it('--in-place refuses a dirty checkout; on a clean one it works on a new branch; --merge fast-forwards', async () => {
    const repo = improveRepo(ONE_SPEC);
    const env = modelEnv((await model()).url);
    writeFileSync(join(repo, 'dirty.txt'), 'x');
    const refused = await improve(repo, ['--in-place'], env);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('--in-place needs a clean checkout');
    expect(git(repo, 'branch', '--list', 'mmm/*')).toBe('');

    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'dirty no more');
    const r = await improve(repo, ['--in-place', '--merge'], env);
    expect(r.exitCode).toBe(0);
    const end = runEnd(r.stdout);
    // Worked in the checkout itself (now on the run branch), and main was fast-forwarded.
    expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(end.branch);
    expect(readFileSync(join(repo, 'one.txt'), 'utf8')).toBe('one\n');
    expect(git(repo, 'rev-parse', 'main')).toBe(git(repo, 'rev-parse', end.branch));
    expect(existsSync(join(repo, '.mmm', 'worktrees'))).toBe(false);
  });

  it('status advises the merge until the branch is merged (by --merge or by hand), then not', async () => {
    let repo = improveRepo(ONE_SPEC);
    const env = modelEnv((await model()).url);
    const nextOf = async (): Promise<string[]> => {
      const status = await runMmm(['status', '--json'], { cwd: repo, env });
      expect(status.exitCode).toBe(0);
      const runs = await runMmm(['runs', '--json'], { cwd: repo, env });
      const last = (JSON.parse(runs.stdout) as { next: string[] }[]).at(-1);
      const next = (JSON.parse(status.stdout) as { next: string[] }).next;
      expect(last?.next).toEqual(next);
      return next;
    };
    const first = runEnd((await improve(repo, [], env)).stdout);
    expect(await nextOf()).toEqual([`git switch main && git merge --ff-only ${first.branch}`]);
    git(repo, 'merge', '-q', '--ff-only', first.branch);
    expect(await nextOf()).toEqual([]);

    // A fresh repository, merged by --merge.
    repo = improveRepo(ONE_SPEC);
    const merged = await improve(repo, ['--merge'], env);
    expect(merged.exitCode).toBe(0);
    expect(git(repo, 'rev-parse', 'main')).toBe(
      git(repo, 'rev-parse', runEnd(merged.stdout).branch),
    );
    expect(await nextOf()).toEqual([]);
  });

  it('--spec runs only the named specs; an unknown id is exit 2 with a suggestion', async () => {
    const repo = improveRepo([
      ...ONE_SPEC,
      { id: 'two', title: 'Write two', checks: ['file_exists: two.txt'] },
    ]);
    fake = await startFakeAnthropic({
      script: fileWritingModel({ ...MODEL, two: { path: 'two.txt', text: 'two\n' } }),
    });
    const env = modelEnv(fake.url);
    const bad = await improve(repo, ['--spec', 'tow'], env);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('did you mean "two"');
    const r = await improve(repo, ['--spec', 'two'], env);
    expect(r.exitCode).toBe(0);
    const subjects = branchMessages(repo, runEnd(r.stdout).branch).map((m) => m.split('\n')[0]);
    expect(subjects).toEqual(['mmm: Write two']);
  });
});

describe('mmm improve: flags', () => {
  it('rejects a bad --max-time and a bad --max-cost with exit 2', async () => {
    const repo = improveRepo(ONE_SPEC);
    const env = modelEnv('http://127.0.0.1:9');
    const time = await improve(repo, ['--max-time', 'soon'], env);
    expect(time.exitCode).toBe(2);
    expect(time.stderr).toContain('--max-time soon: not a duration');
    const cost = await improve(repo, ['--max-cost', 'lots'], env);
    expect(cost.exitCode).toBe(2);
    expect(cost.stderr).toContain('--max-cost lots');
  });
});
