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
} from '../support/fake-claude-code.js';
import { branchMessages, fileAt, improve, improveRepo, runEnd } from '../improve/helpers.js';

/**
 * The claude-code engine end to end: the built mmm runs the real `claude` binary
 * (scripts/install-claude-code.sh) against the fake Messages server, offline, with a
 * private HOME. The scripted model answers in Claude Code's tool shapes.
 */
const claude = findTestClaude();
let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe.skipIf(!claude.path)(
  `the claude-code engine: the real claude CLI against the fake server${claude.path ? '' : ` (skipped: ${claude.reason})`}`,
  () => {
    const bin = claude.path as string;

    it('implements a spec through claude -p; mmm validates and commits it', async () => {
      const repo = improveRepo([{ id: 'first', title: 'Write a', checks: ['file_exists: a.txt'] }]);
      fake = await startFakeAnthropic({
        script: (req) => {
          const t = describeClaudeTurn(req);
          if (t.turn === 1) return ccWrite(`${t.workDir}/a.txt`, 'alpha\n');
          return ccFinish('Created a.txt.');
        },
      });
      const r = await improve(repo, ['--engine', 'claude-code'], claudeEnv(fake.url, bin));
      expect(r.exitCode, r.stderr).toBe(0);
      const end = runEnd(r.stdout);
      expect(end.status).toBe('completed');
      expect(fileAt(repo, end.branch, 'a.txt')).toBe('alpha');
      const messages = branchMessages(repo, end.branch);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/^mmm: Write a\n/);
      expect(messages[0]).toContain('Mmm-Spec: first');

      // mmm's rules reached Claude Code's system prompt; the task came as the prompt.
      const first = describeClaudeTurn(fake.messageRequests()[0]!);
      expect(first.system).toContain('You are mmm');
      expect(first.system).toContain('your tools are Claude Code');
      expect(first.prompt).toContain('Do task first: Write a.');
      // The same short tool lines as the API engine, a session id, usage per turn.
      expect(agentEvents(r.stdout, 'tool_result')[0]).toMatchObject({
        name: 'Write',
        ok: true,
        display: 'edit a.txt (create)',
      });
      expect(agentEvents(r.stdout, 'session')[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(agentEvents(r.stdout, 'usage').length).toBeGreaterThanOrEqual(2);
      const attemptEnd = agentEvents(r.stdout, 'attempt_end')[0];
      expect(attemptEnd).toMatchObject({ reason: 'end_turn', turns: 2, summary: 'Created a.txt.' });
      expect(attemptEnd?.cost).toBeGreaterThan(0);
    }, 60_000);

    it('works in parallel lanes: each claude runs in its own lane worktree, both merge', async () => {
      const repo = improveRepo([
        { id: 'left', title: 'Write l', checks: ['file_exists: l.txt'] },
        { id: 'right', title: 'Write r', checks: ['file_exists: r.txt'] },
      ]);
      const dirs = new Map<string, string>();
      fake = await startFakeAnthropic({
        script: (req) => {
          const t = describeClaudeTurn(req);
          dirs.set(t.taskId, t.workDir);
          const file = t.taskId === 'left' ? 'l.txt' : 'r.txt';
          if (t.turn === 1) return ccWrite(`${t.workDir}/${file}`, `${t.taskId}\n`);
          return ccFinish(`Created ${file}.`);
        },
      });
      const r = await improve(
        repo,
        ['--engine', 'claude-code', '--parallel', '2'],
        claudeEnv(fake.url, bin),
      );
      expect(r.exitCode, r.stderr).toBe(0);
      const end = runEnd(r.stdout);
      expect(fileAt(repo, end.branch, 'l.txt')).toBe('left');
      expect(fileAt(repo, end.branch, 'r.txt')).toBe('right');
      expect(branchMessages(repo, end.branch).map((m) => /Mmm-Spec: (\S+)/.exec(m)?.[1])).toEqual([
        'left',
        'right',
      ]);
      // Each claude worked in its spec's lane, not in the run's worktree.
      expect(dirs.get('left')).toMatch(/\.mmm\/worktrees\/[^/]+\.lanes\/left$/);
      expect(dirs.get('right')).toMatch(/\.mmm\/worktrees\/[^/]+\.lanes\/right$/);
    }, 90_000);

    it('retries a failed validation in a fresh session with the feedback', async () => {
      const repo = improveRepo([{ id: 'fix', title: 'Write a' }]);
      fake = await startFakeAnthropic({
        script: (req) => {
          const t = describeClaudeTurn(req);
          const retry = t.system.includes('Earlier attempts at this task were rolled back');
          if (t.turn === 1) return ccWrite(`${t.workDir}/a.txt`, retry ? 'fixed\n' : 'a bug\n');
          return ccFinish(retry ? 'Fixed it.' : 'Wrote a.txt.');
        },
      });
      const r = await improve(repo, ['--engine', 'claude-code'], claudeEnv(fake.url, bin));
      expect(r.exitCode, r.stderr).toBe(0);
      const end = runEnd(r.stdout);
      expect(fileAt(repo, end.branch, 'a.txt')).toBe('fixed');
      expect(branchMessages(repo, end.branch)[0]).toContain('Mmm-Attempt: 2');
      const sessions = agentEvents(r.stdout, 'session').map((e) => e.id);
      expect(sessions).toHaveLength(2);
      expect(sessions[0]).not.toBe(sessions[1]);
      // The second session was told why the first attempt was rejected.
      const retryTurn = fake
        .messageRequests()
        .map((q) => describeClaudeTurn(q))
        .find((t) => t.system.includes('Earlier attempts'));
      expect(retryTurn?.system).toContain('a.txt contains a bug');
    }, 60_000);

    it('with claude_code.continue_session, a retry resumes the failed session', async () => {
      const repo = improveRepo([{ id: 'fix', title: 'Write a' }]);
      fake = await startFakeAnthropic({
        script: (req) => {
          const t = describeClaudeTurn(req);
          // The retry's prompt joins the first session's conversation.
          const at = req.body.messages.findIndex((m) =>
            JSON.stringify(m.content).includes('mmm rolled back your previous attempt'),
          );
          if (at >= 0) {
            if (at === req.body.messages.length - 1)
              return ccWrite(`${t.workDir}/a.txt`, 'fixed\n');
            return ccFinish('Fixed it.');
          }
          if (t.turn === 1) return ccWrite(`${t.workDir}/a.txt`, 'a bug\n');
          return ccFinish('Wrote a.txt.');
        },
      });
      const env = { ...claudeEnv(fake.url, bin), MMM_CLAUDE_CODE__CONTINUE_SESSION: 'true' };
      const r = await improve(repo, ['--engine', 'claude-code'], env);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(fileAt(repo, runEnd(r.stdout).branch, 'a.txt')).toBe('fixed');
      const sessions = agentEvents(r.stdout, 'session').map((e) => e.id);
      expect(sessions).toHaveLength(2);
      expect(sessions[1]).toBe(sessions[0]);
      // The resumed conversation still holds the first attempt; the feedback came as a prompt.
      const resumed = fake
        .messageRequests()
        .find((q) =>
          JSON.stringify(q.body.messages).includes('mmm rolled back your previous attempt'),
        );
      const history = JSON.stringify(resumed?.body.messages);
      expect(history).toContain('Wrote a.txt.');
      expect(history).toContain('a.txt contains a bug');
    }, 60_000);

    it("denies the model's git commit through Claude Code's permission rules", async () => {
      const repo = improveRepo([{ id: 'first', title: 'Write a', checks: ['file_exists: a.txt'] }]);
      fake = await startFakeAnthropic({
        script: (req) => {
          const t = describeClaudeTurn(req);
          if (t.turn === 1) return ccWrite(`${t.workDir}/a.txt`, 'alpha\n');
          if (t.turn === 2) return ccBash('git add -A && git commit -qm sneaky');
          return ccFinish(`Could not commit: ${t.toolResults.join(' ')}`);
        },
      });
      const r = await improve(repo, ['--engine', 'claude-code'], claudeEnv(fake.url, bin));
      expect(r.exitCode, r.stderr).toBe(0);
      const denied = agentEvents(r.stdout, 'tool_result').find((e) => e.name === 'Bash');
      expect(denied).toMatchObject({ ok: false });
      expect(String(denied?.display)).toContain("denied by mmm's permission rules");
      const third = fake.messageRequests().map((q) => describeClaudeTurn(q))[2];
      expect(third?.toolResults.join(' ')).toMatch(/Permission to use Bash .* denied/);
      // Only mmm's own commit is on the branch.
      const end = runEnd(r.stdout);
      const messages = branchMessages(repo, end.branch);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/^mmm: Write a\n/);
    }, 60_000);
  },
);
