import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { git, gitRepo, type FileTree } from '../support/tmp.js';
import {
  CHECK_JS,
  fileAt,
  fileWritingModel,
  improve,
  modelEnv,
  runEnd,
  TEST_CONFIG,
} from '../improve/helpers.js';

/**
 * `mmm improve` end to end on each layout a user brings (the fake Anthropic server as the
 * model): the spec is found, worked on, committed, and written back where it came from.
 */
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

function fixtureTree(layout: string): FileTree {
  const root = join(FIXTURES, layout);
  const tree: FileTree = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else tree[relative(root, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return tree;
}

function repoWith(layout: string, edit: (tree: FileTree) => void = () => {}): string {
  const tree = fixtureTree(layout);
  edit(tree);
  return gitRepo({ ...tree, '.mmm/config.toml': TEST_CONFIG, 'check.js': CHECK_JS });
}

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function run(repo: string, taskId: string, path: string): Promise<string> {
  fake = await startFakeAnthropic({
    script: fileWritingModel({ [taskId]: { path, text: 'done\n' } }),
  });
  const r = await improve(repo, ['--spec', taskId], modelEnv(fake.url));
  expect(r.exitCode, r.stderr + r.stdout.slice(0, 3000)).toBe(0);
  const { branch } = runEnd(r.stdout);
  expect(fileAt(repo, branch, path)).toBe('done');
  // The user's checkout is untouched.
  expect(git(repo, 'status', '--porcelain')).toBe('');
  return branch;
}

describe('mmm improve on the layouts people already use', () => {
  it('the predecessor’s draft spec with a deleted dependency', async () => {
    // 174 depends on 2 (done) and on 151, whose file was deleted when it was implemented.
    const repo = repoWith('prodigy', (tree) => {
      const file = 'specs/2-config-loader.md';
      tree[file] = String(tree[file]).replace('status: draft', 'status: done');
    });
    const branch = await run(repo, 'structured-logging', 'logging.txt');
    const spec = fileAt(repo, branch, 'specs/174-structured-logging.md');
    expect(spec).toContain('\nstatus: done\n');
  });

  it('a spec-kit feature folder: the verified task ticked in tasks.md, Status in spec.md', async () => {
    const repo = repoWith('speckit', (tree) => {
      const file = 'specs/001-csv-export/tasks.md';
      tree[file] = String(tree[file]).replace(
        'Write toCsv in src/export/csv.ts',
        'Write toCsv in src/export/csv.ts <!-- check: file_exists: src/export/csv.ts -->',
      );
    });
    const branch = await run(repo, 'csv-export', 'src/export/csv.ts');
    const tasks = fileAt(repo, branch, 'specs/001-csv-export/tasks.md');
    expect(tasks).toContain('- [x] T002 [P] [US1] Write toCsv');
    expect(tasks).toContain('- [ ] T003 [US1] Quote cells');
    expect(fileAt(repo, branch, 'specs/001-csv-export/spec.md')).toContain('**Status**: Done');
  });

  it('a Kiro feature folder found in .kiro/specs without configuration', async () => {
    const repo = repoWith('kiro', (tree) => {
      const file = '.kiro/specs/password-reset/tasks.md';
      tree[file] = String(tree[file]).replace(
        '2.1 Write createResetToken with a 30 minute expiry',
        '2.1 Write createResetToken with a 30 minute expiry <!-- check: file_exists: reset.txt -->',
      );
    });
    const branch = await run(repo, 'password-reset', 'reset.txt');
    const tasks = fileAt(repo, branch, '.kiro/specs/password-reset/tasks.md');
    expect(tasks).toContain('- [x] 2.1 Write createResetToken');
    expect(tasks).toContain('- [ ] 2.2 Write consumeResetToken');
  });

  it('a task-master task, its status written into tasks.json', async () => {
    const repo = repoWith('taskmaster');
    const before = readFileSync(join(repo, '.taskmaster/tasks/tasks.json'), 'utf8');
    const branch = await run(repo, 'task-2', 'logging.txt');
    const after = fileAt(repo, branch, '.taskmaster/tasks/tasks.json');
    expect(after).toBe(
      before
        .replace(
          '"dependencies": [1],\n        "status": "pending"',
          '"dependencies": [1],\n        "status": "done"',
        )
        .trim(),
    );
  });

  it('an uncommitted Kiro feature folder is brought into the run, the checkout left as it was', async () => {
    const repo = gitRepo({ '.mmm/config.toml': TEST_CONFIG, 'check.js': CHECK_JS });
    const tree = fixtureTree('kiro');
    for (const [file, text] of Object.entries(tree)) {
      mkdirSync(dirname(join(repo, file)), { recursive: true });
      writeFileSync(join(repo, file), String(text));
    }
    const status = git(repo, 'status', '--porcelain', '--untracked-files=all');
    fake = await startFakeAnthropic({
      script: fileWritingModel({ 'password-reset': { path: 'reset.txt', text: 'done\n' } }),
    });
    const r = await improve(repo, ['--spec', 'password-reset'], modelEnv(fake.url));
    expect(r.exitCode, r.stderr + r.stdout.slice(0, 3000)).toBe(0);
    const { branch } = runEnd(r.stdout);
    expect(fileAt(repo, branch, 'reset.txt')).toBe('done');
    expect(fileAt(repo, branch, '.kiro/specs/password-reset/design.md')).toBe(
      String(tree['.kiro/specs/password-reset/design.md']).trim(),
    );
    expect(git(repo, 'status', '--porcelain', '--untracked-files=all')).toBe(status);
  });
});
