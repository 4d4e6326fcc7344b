/**
 * Workflows end to end: a project workflow over a YAML list with shell, agent, validate
 * and commit steps (`when`, `capture`, `${steps.<id>.output}`, a retry with feedback),
 * `goal_seek`, `then: stop`, and `--resume` refusing a workflow changed since the start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { git, gitRepo } from '../support/tmp.js';
import {
  CHECK_JS,
  TEST_CONFIG,
  branchMessages,
  createFile,
  describeTurn,
  events,
  finish,
  improve,
  modelEnv,
  runEnd,
  runIdOf,
  runState,
} from './helpers.js';

const NOTES = `name: notes
description: one note per entry
for_each: [alpha, beta]
vars:
  suffix: ".txt"
steps:
  - id: write
    agent: "Write the note for \${item}."
  - id: count
    shell: "node -e \\"console.log(require('fs').readdirSync('.').filter((f) => f.endsWith('\${vars.suffix}')).length)\\""
    capture: files
  - id: check
    validate: true
    on_failure:
      retry: write
      max_attempts: 2
  - id: never
    when: 'item == "gamma"'
    shell: "exit 1"
  - id: commit
    commit: "note \${item} (\${steps.count.output} files)"
`;

const GOAL = `name: goal
description: raise the score
steps:
  - id: raise
    goal_seek:
      agent: "Raise the score in score.txt."
      score: "node -e \\"const fs = require('fs'); console.log(fs.existsSync('score.txt') ? fs.readFileSync('score.txt', 'utf8') : 'score 10')\\""
      target: 90
      max_attempts: 2
  - id: stop-here
    shell: "exit 3"
    on_failure:
      then: stop
  - id: commit
    commit: "never reached"
`;

const OUTER = `name: outer
for_each: [one]
steps:
  - id: inner
    workflow: stamp
    vars:
      name: "\${item}"
  - id: commit
    commit: "stamped \${item}"
`;

const STAMP = `name: stamp
vars:
  name: nobody
steps:
  - id: write
    shell: "node -e \\"require('fs').writeFileSync('\${vars.name}.txt', 'ok')\\""
  - id: verify
    when: "steps.write.ok"
    shell: "node -e \\"require('fs').readFileSync('\${vars.name}.txt')\\""
`;

let fake: FakeAnthropic;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeAnthropic({
    script: (request) => {
      const t = describeTurn(request);
      if (t.turn > 1) return finish(`Done with ${t.taskId}.`);
      if (t.taskId === 'item-1') return createFile('alpha.txt', 'alpha\n');
      if (t.taskId === 'item-2') {
        const retried = t.system.includes('Earlier attempts at this task were rolled back');
        return createFile('beta.txt', retried ? 'beta\n' : 'bug\n');
      }
      if (t.taskId === 'goal') return createFile('score.txt', 'score 95\n');
      return finish('Nothing to do.');
    },
  });
  env = modelEnv(fake.url);
});
afterAll(async () => {
  await fake.close();
});

function repoWith(workflows: Record<string, string>): string {
  const tree: Record<string, string> = { '.mmm/config.toml': TEST_CONFIG, 'check.js': CHECK_JS };
  for (const [name, text] of Object.entries(workflows)) tree[`.mmm/workflows/${name}.yml`] = text;
  return gitRepo(tree);
}

describe('mmm improve --workflow', () => {
  it('runs a project workflow over a list: steps in order, a retry with feedback, when, capture', async () => {
    const repo = repoWith({ notes: NOTES });
    const r = await improve(repo, ['--workflow', 'notes'], env);
    expect(r.exitCode, r.stderr).toBe(0);
    const end = runEnd(r.stdout);
    const subjects = branchMessages(repo, end.branch).map((m) => m.split('\n')[0]);
    expect(subjects).toEqual(['mmm: note alpha (1 files)', 'mmm: note beta (2 files)']);
    const all = events(r.stdout);
    const start = all.find((e) => e.type === 'run_start');
    expect(start?.workflow).toBe('notes');
    expect(start?.steps).toEqual([
      { id: 'write', kind: 'agent' },
      { id: 'count', kind: 'shell' },
      { id: 'check', kind: 'validate' },
      { id: 'never', kind: 'shell' },
      { id: 'commit', kind: 'commit' },
    ]);
    const ends = all.filter((e) => e.type === 'step_end');
    expect(ends.filter((e) => e.id === 'never').map((e) => e.outcome)).toEqual([
      'skipped',
      'skipped',
    ]);
    // beta: the first check fails (the check script finds "bug"), the retry passes.
    expect(
      ends.filter((e) => e.specId === 'item-2' && e.id === 'check').map((e) => e.outcome),
    ).toEqual(['failed', 'ok']);
    const state = runState(repo, runIdOf(end.branch)) as {
      workflowRun: { name: string; hash: string; captured: Record<string, string> };
      specs: Record<string, { title: string; status: string; attempts: number }>;
    };
    const text = readFileSync(join(repo, '.mmm', 'workflows', 'notes.yml'));
    expect(state.workflowRun.name).toBe('notes');
    expect(state.workflowRun.hash).toBe(createHash('sha256').update(text).digest('hex'));
    expect(state.workflowRun.captured).toEqual({ files: '2' });
    expect(state.specs['item-2']).toMatchObject({ title: 'beta', status: 'done', attempts: 2 });
  });

  it('goal_seek runs the agent until the score reaches the target; then: stop ends the run', async () => {
    const repo = repoWith({ goal: GOAL });
    const r = await improve(repo, ['--workflow', 'goal'], env);
    expect(r.exitCode, r.stderr).toBe(1);
    const all = events(r.stdout);
    const ends = all.filter((e) => e.type === 'step_end').map((e) => [e.id, e.outcome]);
    expect(ends).toEqual([
      ['raise', 'ok'],
      ['stop-here', 'failed'],
    ]);
    expect(runEnd(r.stdout).reason).toMatch(/then: stop/);
    // The item's uncommitted work was rolled back and kept as a patch; nothing committed.
    expect(branchMessages(repo, runEnd(r.stdout).branch)).toEqual([]);
  });

  it('a workflow step runs another workflow for the item, with its own steps and vars', async () => {
    const repo = repoWith({ outer: OUTER, stamp: STAMP });
    const r = await improve(repo, ['--workflow', 'outer'], env);
    expect(r.exitCode, r.stderr).toBe(0);
    const ends = events(r.stdout)
      .filter((e) => e.type === 'step_end')
      .map((e) => [e.id, e.outcome]);
    expect(ends).toEqual([
      ['inner.write', 'ok'],
      ['inner.verify', 'ok'],
      ['commit', 'ok'],
    ]);
    const branch = runEnd(r.stdout).branch;
    expect(git(repo, 'show', `${branch}:one.txt`)).toBe('ok');
    expect(branchMessages(repo, branch).map((m) => m.split('\n')[0])).toEqual(['mmm: stamped one']);
  });

  it('--resume refuses a workflow file changed since the start (exit 2) unless --force', async () => {
    const repo = repoWith({ notes: NOTES });
    const first = await improve(repo, ['--workflow', 'notes', '--max-iterations', '1'], env);
    expect(first.exitCode, first.stderr).toBe(3);
    const file = join(repo, '.mmm', 'workflows', 'notes.yml');
    writeFileSync(file, NOTES.replace('one note per entry', 'one note for each entry'));
    const refused = await improve(repo, ['--resume'], env);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/workflow notes changed since run .* started/);
    expect(refused.stderr).toMatch(/--force/);
    const forced = await improve(repo, ['--resume', '--force', '--max-iterations', '5'], env);
    expect(forced.exitCode, forced.stderr).toBe(0);
    const subjects = branchMessages(repo, runEnd(forced.stdout).branch).map(
      (m) => m.split('\n')[0],
    );
    expect(subjects).toEqual(['mmm: note alpha (1 files)', 'mmm: note beta (2 files)']);
    expect(git(repo, 'status', '--porcelain')).toBe('M .mmm/workflows/notes.yml');
  });
});
