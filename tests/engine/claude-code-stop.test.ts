import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import {
  agentEvents,
  ccBash,
  ccFinish,
  ccWrite,
  claudeEnv,
  describeClaudeTurn,
  findTestClaude,
  processesIn,
  waitUntil,
} from '../support/fake-claude-code.js';
import { events, fileAt, improve, improveRepo, runEnd, spawnImprove } from '../improve/helpers.js';

/**
 * Stopping the claude-code engine: a cap passed mid-step, SIGTERM, kill -9 of mmm with
 * and without the sandbox, then --resume. The real `claude` against the fake server
 * (scripts/install-claude-code.sh); no claude may outlive its step.
 */
const claude = findTestClaude();
let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe.skipIf(!claude.path)(
  `the claude-code engine stops: the real claude CLI against the fake server${claude.path ? '' : ` (skipped: ${claude.reason})`}`,
  () => {
    const bin = claude.path as string;
    it('stops claude when the token cap is passed during a step (exit 3, resumable)', async () => {
      const repo = improveRepo([{ id: 'first', title: 'Write a', checks: ['file_exists: a.txt'] }]);
      let n = 0;
      fake = await startFakeAnthropic({
        // A model that never ends its turn: only mmm's cap stops it.
        script: () => ({ ...ccBash(`echo step ${++n}`), delayMs: 100 }),
      });
      const r = await improve(
        repo,
        ['--engine', 'claude-code', '--max-tokens', '2500'],
        claudeEnv(fake.url, bin),
      );
      expect(r.exitCode, r.stderr).toBe(3);
      const end = runEnd(r.stdout);
      expect(end.status).toBe('limit');
      expect(agentEvents(r.stdout, 'attempt_end')[0]).toMatchObject({ reason: 'budget_tokens' });
      // Each turn costs 1050 tokens: the third passes 2500, and claude was stopped there
      // (a request already on its way may still arrive, no more).
      expect(fake.messageRequests().length).toBeLessThanOrEqual(4);
      const worktree = String(events(r.stdout).find((e) => e.type === 'run_start')?.worktree);
      expect(processesIn(worktree)).toEqual([]);
    }, 60_000);

    it('SIGTERM stops claude and the run (exit 130, resumable)', async () => {
      const repo = improveRepo([{ id: 'first', title: 'Write a', checks: ['file_exists: a.txt'] }]);
      fake = await startFakeAnthropic({
        script: (req) => {
          const t = describeClaudeTurn(req);
          if (t.turn === 1) return ccWrite(`${t.workDir}/a.txt`, 'alpha\n');
          return { ...ccFinish('late'), delayMs: 60_000 };
        },
      });
      const run = spawnImprove(repo, ['--engine', 'claude-code'], claudeEnv(fake.url, bin));
      const start = await run.waitFor((e) => e.type === 'run_start');
      await run.waitFor(
        (e) => e.type === 'agent' && (e.event as { type?: string }).type === 'tool_result',
      );
      run.child.kill('SIGTERM');
      const r = await run.done;
      expect(r.exitCode, r.stderr).toBe(130);
      expect(runEnd(r.stdout).status).toBe('interrupted');
      expect(agentEvents(r.stdout, 'attempt_end')[0]).toMatchObject({ reason: 'aborted' });
      expect(processesIn(String(start.worktree))).toEqual([]);
    }, 60_000);

    it('kill -9 of mmm leaves no claude behind; --resume redoes the step', async () => {
      const repo = improveRepo([{ id: 'first', title: 'Write a', checks: ['file_exists: a.txt'] }]);
      let killed = false;
      fake = await startFakeAnthropic({
        script: (req) => {
          const t = describeClaudeTurn(req);
          if (t.turn === 1) return ccWrite(`${t.workDir}/a.txt`, 'alpha\n');
          // Before the kill, the second turn hangs: mmm is killed while claude waits.
          if (!killed) return { ...ccFinish('late'), delayMs: 60_000 };
          return ccFinish('Created a.txt.');
        },
      });
      const env = claudeEnv(fake.url, bin);
      const run = spawnImprove(repo, ['--engine', 'claude-code'], env);
      const start = await run.waitFor((e) => e.type === 'run_start');
      await run.waitFor(
        (e) => e.type === 'agent' && (e.event as { type?: string }).type === 'tool_result',
      );
      const worktree = String(start.worktree);
      expect(processesIn(worktree).length).toBeGreaterThan(0);
      run.child.kill('SIGKILL');
      await run.done;
      killed = true;
      // The sandbox's --die-with-parent and PID namespace take claude down with mmm.
      expect(await waitUntil(() => processesIn(worktree).length === 0, 5000)).toBe(true);

      const r = await improve(repo, ['--resume'], env);
      expect(r.exitCode, r.stderr).toBe(0);
      const end = runEnd(r.stdout);
      expect(end.status).toBe('completed');
      expect(fileAt(repo, end.branch, 'a.txt')).toBe('alpha');
      const state = JSON.parse(
        readFileSync(
          join(repo, '.mmm', 'runs', end.branch.replace('mmm/', ''), 'state.json'),
          'utf8',
        ),
      ) as { config: { engine: string } };
      expect(state.config.engine).toBe('claude-code');
    }, 90_000);

    it('without the sandbox, a claude left by kill -9 is ended by --resume', async () => {
      const repo = improveRepo([{ id: 'first', title: 'Write a', checks: ['file_exists: a.txt'] }]);
      let killed = false;
      fake = await startFakeAnthropic({
        script: (req) => {
          const t = describeClaudeTurn(req);
          if (t.turn === 1) return ccWrite(`${t.workDir}/a.txt`, 'alpha\n');
          if (!killed) return { ...ccFinish('late'), delayMs: 60_000 };
          return ccFinish('Created a.txt.');
        },
      });
      const env = { ...claudeEnv(fake.url, bin), MMM_TOOLS__SANDBOX: 'off' };
      const run = spawnImprove(repo, ['--engine', 'claude-code'], env);
      const start = await run.waitFor((e) => e.type === 'run_start');
      await run.waitFor(
        (e) => e.type === 'agent' && (e.event as { type?: string }).type === 'tool_result',
      );
      run.child.kill('SIGKILL');
      await run.done;
      killed = true;
      const worktree = String(start.worktree);
      // Nothing took it down: the orphan waits for its model reply.
      const orphans = processesIn(worktree);
      expect(orphans.length).toBeGreaterThan(0);

      const r = await improve(repo, ['--resume'], env);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(runEnd(r.stdout).status).toBe('completed');
      expect(orphans.filter((pid) => processesIn(worktree).includes(pid))).toEqual([]);
    }, 90_000);
  },
);
