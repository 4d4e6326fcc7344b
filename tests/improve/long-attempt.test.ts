import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import {
  branchMessages,
  createFile,
  describeTurn,
  events,
  finish,
  improve,
  improveRepo,
  modelEnv,
  runCommand,
  runEnd,
  runIdOf,
} from './helpers.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const READS = 30;
const line = 'const value = computeSomethingLong(input, options); // a 60 KB source file\n';
const BIG = line.repeat(Math.ceil(60_000 / line.length)).slice(0, 60_000);

describe('a long attempt against a server with a 200k window', () => {
  it('reads a 60 KB file 30 times, recovers from the one refusal, compacts, and commits', async () => {
    const repo = improveRepo(
      [{ id: 'long', title: 'Read a lot', checks: ['file_exists: done.txt'] }],
      {
        'big.txt': BIG,
      },
    );
    fake = await startFakeAnthropic({
      context: { window: 200_000 },
      script: (request) => {
        const t = describeTurn(request);
        if (t.taskId !== 'long') return finish('Nothing to do.');
        if (t.turn <= READS) return runCommand(`cat big.txt; echo read ${t.turn}`);
        if (t.turn === READS + 1) return createFile('done.txt', 'read it all\n');
        return finish('Read the file 30 times and wrote done.txt.');
      },
    });
    // The default model's window is 1M in mmm's table: only the server's refusal tells.
    const r = await improve(repo, [], modelEnv(fake.url));
    expect(r.exitCode, r.stderr).toBe(0);
    const end = runEnd(r.stdout);
    expect(end.status).toBe('completed');
    expect(branchMessages(repo, end.branch)).toHaveLength(1);

    const context = fake.context;
    expect(context?.rejected.length).toBeLessThanOrEqual(1);
    expect(Math.max(...(context?.promptSizes ?? []))).toBeLessThanOrEqual(200_000);
    const agent = events(r.stdout)
      .filter((e) => e.type === 'agent')
      .map((e) => e.event as { type: string });
    expect(agent.filter((e) => e.type === 'compaction').length).toBeGreaterThanOrEqual(1);

    // The transcript grows with the turns, not with their square.
    const transcript = join(repo, '.mmm', 'runs', runIdOf(end.branch), 'transcript.jsonl');
    const requests = fake.messageRequests().length;
    expect(statSync(transcript).size / requests).toBeLessThan(3 * 30_000);
  });

  it('with context.window = 50000, every request stays under 50k and none is refused', async () => {
    const repo = improveRepo(
      [{ id: 'long', title: 'Read a lot', checks: ['file_exists: done.txt'] }],
      {
        'big.txt': BIG,
      },
    );
    fake = await startFakeAnthropic({
      context: { window: 50_000 },
      script: (request) => {
        const t = describeTurn(request);
        if (t.taskId !== 'long') return finish('Nothing to do.');
        if (t.turn <= 12) return runCommand(`cat big.txt; echo read ${t.turn}`);
        if (t.turn === 13) return createFile('done.txt', 'read it all\n');
        return finish('Done.');
      },
    });
    const env = { ...modelEnv(fake.url), MMM_CONTEXT__WINDOW: '50000' };
    const r = await improve(repo, [], env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(fake.context?.rejected).toEqual([]);
    expect(Math.max(...(fake.context?.promptSizes ?? []))).toBeLessThanOrEqual(50_000);
  });
});
