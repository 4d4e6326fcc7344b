/**
 * Containment, items 4, 5 and 9 of issue 17, through the built binary and the fake server:
 * tool calls that cannot hang or blow up mmm (a FIFO, a 150 MB file), spec files the agent
 * replaced by a FIFO or a link into the user's checkout, `.mmm/` off limits to the edit
 * tool, and a spec_dir outside the repository. The model plays hostile on its first
 * attempt, then honest; every run must complete, under a hard timeout.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { runMmm } from '../support/cli.js';
import {
  CHECK_JS,
  TEST_CONFIG,
  createFile,
  describeTurn,
  events,
  fileAt,
  finish,
  improve,
  improveRepo,
  modelEnv,
  runCommand,
  runEnd,
  spawnImprove,
  specFile,
} from '../improve/helpers.js';
import { git, gitRepo, tempDir, writeTree } from '../support/tmp.js';
import {
  expectCheckoutUnchanged,
  expectNoSecretLeaked,
  hostileEnv,
  SANDBOX_MODES,
  type SandboxMode,
  hostileModel,
  snapshotCheckout,
  type HostileCall,
} from './harness.js';

let fake: FakeAnthropic | undefined;
/** Items 4, 5 and 9 must hold with the sandbox and without it. */
let sandboxMode: SandboxMode = 'auto';
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const SPECS = [{ id: 's1', title: 'Add a', checks: ['file_exists: a.txt'] }];
const SPEC_FILE = 'specs/01-s1.md';
const HONEST = { s1: { path: 'a.txt', text: 'a\n' } };

/** Run the hostile calls then the honest work; the run must complete with exit 0. */
async function hostileRun(
  hostile: HostileCall[],
  extra: Record<string, string> = {},
  args: string[] = [],
): Promise<{
  repo: string;
  results: string[];
  warnings: string[];
  branch: string;
  before: ReturnType<typeof snapshotCheckout>;
}> {
  const repo = improveRepo(SPECS, extra);
  const before = snapshotCheckout(repo);
  const model = hostileModel({ hostile: { s1: hostile }, honest: HONEST });
  fake = await startFakeAnthropic({ script: model.responder });
  const r = await improve(repo, args, hostileEnv(fake.url, {}, sandboxMode));
  expect(r.signal, r.stderr).toBeNull();
  expect(r.exitCode, r.stderr).toBe(0);
  const end = runEnd(r.stdout);
  expect(end.status).toBe('completed');
  expectNoSecretLeaked(repo, r, model.toolResults);
  const warnings = events(r.stdout)
    .filter((e) => e.type === 'warning')
    .map((e) => String(e.message));
  return { repo, results: model.toolResults, warnings, branch: end.branch, before };
}

describe.each(SANDBOX_MODES)('sandbox %s', (mode) => {
  beforeEach(() => {
    sandboxMode = mode;
  });
  afterAll(() => {
    sandboxMode = 'auto';
  });

  describe('tools that cannot hang or blow up', () => {
    it('a view of a FIFO gets a clear error at once; the run completes', async () => {
      const { repo, results, branch, before } = await hostileRun([
        { bash: 'mkfifo p' },
        { edit: { command: 'view', path: 'p' } },
        { edit: { command: 'str_replace', path: 'p', old_str: 'x', new_str: 'y' } },
      ]);
      const refusals = results.filter((t) => t.includes('p is a FIFO (named pipe), not a regular'));
      expect(refusals).toHaveLength(2);
      expect(fileAt(repo, branch, 'a.txt')).toBe('a');
      expectCheckoutUnchanged(repo, before);
    }, 90_000);

    it('a str_replace miss in a 150 MB file is refused by the size limit; the run completes', async () => {
      const { repo, results, branch, before } = await hostileRun([
        {
          bash: `node -e "require('fs').writeFileSync('big.js', Buffer.alloc(150e6, 'a = 1;\\n'))"`,
        },
        {
          edit: { command: 'str_replace', path: 'big.js', old_str: 'b = 2;\nc = 3;', new_str: 'x' },
        },
        { edit: { command: 'view', path: 'big.js' } },
        { bash: 'rm big.js' },
      ]);
      const limit = results.filter((t) =>
        t.startsWith(
          'big.js is 150 MB; the limit is 10 MB (tools.max_file_size): use the bash tool with sed/grep/head instead',
        ),
      );
      expect(limit).toHaveLength(2);
      expect(fileAt(repo, branch, 'a.txt')).toBe('a');
      expectCheckoutUnchanged(repo, before);
    }, 90_000);

    it('with the limit raised, the near-match search over 150 MB stays bounded (no OOM)', async () => {
      const config = `${TEST_CONFIG}\n[tools]\nmax_file_size = 200000000\n`;
      const { results } = await hostileRun(
        [
          {
            bash: `node -e "require('fs').writeFileSync('big.js', Buffer.alloc(150e6, 'a = 1;\\n'))"`,
          },
          {
            edit: {
              command: 'str_replace',
              path: 'big.js',
              old_str: 'b = 2;\nc = 3;',
              new_str: 'x',
            },
          },
          { bash: 'rm big.js' },
        ],
        { '.mmm/config.toml': config },
      );
      expect(results.some((t) => t.includes('old_str was not found verbatim in big.js'))).toBe(
        true,
      );
      expect(results.some((t) => t.includes('too many for a similarity search'))).toBe(true);
    }, 120_000);

    it('SIGTERM then SIGTERM during a slow tool call stops the run at once (exit 130)', async () => {
      await signalDuringSlowTool('SIGTERM');
    }, 45_000);

    it('SIGINT then SIGINT during a slow tool call stops the run at once (exit 130)', async () => {
      await signalDuringSlowTool('SIGINT');
    }, 45_000);
  });

  /**
   * The model views a FIFO (formerly a call that held a libuv thread and made every signal
   * useless), then runs a command that would take a minute. The first signal asks for a
   * graceful stop, the second aborts: the run ends with 130 long before the command would.
   */
  async function signalDuringSlowTool(signal: NodeJS.Signals): Promise<void> {
    const repo = improveRepo(SPECS);
    const model = hostileModel({
      hostile: {
        s1: [
          { bash: 'mkfifo p' },
          { edit: { command: 'view', path: 'p' } },
          { bash: 'sleep 120; echo late > late.txt' },
        ],
      },
      honest: HONEST,
    });
    fake = await startFakeAnthropic({ script: model.responder });
    const run = spawnImprove(repo, [], modelEnv(fake.url));
    await run.waitFor(
      (e) =>
        e.type === 'agent' &&
        (e.event as { type: string; name?: string; input?: { command?: string } }).type ===
          'tool_call' &&
        JSON.stringify(e.event).includes('sleep 120'),
    );
    run.child.kill(signal);
    // Signals sent back to back would merge into one: wait until the first was taken.
    await run.waitFor((e) => e.type === 'warning' && String(e.message).startsWith('stopping'));
    run.child.kill(signal);
    const r = await run.done;
    expect(r.signal, r.stderr).toBeNull();
    expect(r.exitCode, r.stderr).toBe(130);
    expect(runEnd(r.stdout).status).toBe('interrupted');
    expect(model.toolResults.some((t) => t.includes('p is a FIFO (named pipe)'))).toBe(true);
  }

  describe('spec files the agent tampered with', () => {
    it('a FIFO planted at the spec file: the commit neither hangs nor loses the work', async () => {
      const { repo, warnings, branch, before } = await hostileRun([
        { bash: `rm ${SPEC_FILE} && mkfifo ${SPEC_FILE}` },
      ]);
      expect(warnings).toContain(
        `${SPEC_FILE} had been replaced by a FIFO (named pipe) during the attempt; mmm restored it from the attempt's checkpoint (spec files are mmm's)`,
      );
      expect(fileAt(repo, branch, 'a.txt')).toBe('a');
      expect(fileAt(repo, branch, SPEC_FILE)).toMatch(/^status: done$/m);
      // No evidence was reported: the criterion stays unticked (verdict/evidence.ts).
      expect(fileAt(repo, branch, SPEC_FILE)).toMatch(/- \[ \] s1 is done/);
      expectCheckoutUnchanged(repo, before);
    }, 90_000);

    it("a spec file linked into the user's checkout: the user's file is unchanged", async () => {
      const repo = improveRepo(SPECS);
      // The user has uncommitted edits in the very spec file the link points to.
      writeTree(repo, {
        [SPEC_FILE]: `${readFileSync(join(repo, SPEC_FILE), 'utf8')}\nmy notes\n`,
      });
      const before = snapshotCheckout(repo);
      const model = hostileModel({
        hostile: {
          s1: [{ bash: `rm ${SPEC_FILE} && ln -s ${join(repo, SPEC_FILE)} ${SPEC_FILE}` }],
        },
        honest: HONEST,
      });
      fake = await startFakeAnthropic({ script: model.responder });
      const r = await improve(repo, [], hostileEnv(fake.url, {}, sandboxMode));
      expect(r.exitCode, r.stderr).toBe(0);
      const end = runEnd(r.stdout);
      expect(end.status).toBe('completed');
      expectCheckoutUnchanged(repo, before);
      expect(readFileSync(join(repo, SPEC_FILE), 'utf8')).toMatch(/status: ready[\s\S]*my notes/);
      // On the run branch the spec is a regular file again, marked done.
      expect(git(repo, 'ls-tree', end.branch, SPEC_FILE)).toMatch(/^100644 blob /);
      expect(fileAt(repo, end.branch, SPEC_FILE)).toMatch(/^status: done$/m);
      const warnings = events(r.stdout).filter((e) => e.type === 'warning');
      expect(JSON.stringify(warnings)).toMatch(/replaced by a symbolic link during the attempt/);
    }, 90_000);
  });
});

describe('spec files that are not regular files in the checkout', () => {
  it('a FIFO or a link among the specs: exit 2 naming the file, before anything is created', async () => {
    const repo = improveRepo(SPECS);
    const outside = tempDir();
    writeTree(outside, { 'x.md': readFileSync(join(repo, SPEC_FILE), 'utf8') });
    symlinkSync(join(outside, 'x.md'), join(repo, 'specs', '02-link.md'));
    execFileSync('mkfifo', [join(repo, 'specs', '03-pipe.md')]);
    fake = await startFakeAnthropic({ script: () => finish('nothing') });
    const r = await improve(repo, [], hostileEnv(fake.url, {}, sandboxMode));
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/specs\/02-link\.md:1:1: is a symbolic link, not a regular file/);
    expect(r.stderr).toMatch(
      /specs\/03-pipe\.md:1:1: is a FIFO \(named pipe\), not a regular file/,
    );
    expect(fake.messageRequests()).toHaveLength(0);
    expect(readdirSync(join(repo, '.mmm'))).toEqual(['config.toml']);
    expect(git(repo, 'branch', '--list', 'mmm/*')).toBe('');
    const specs = await runMmm(['specs', 'validate'], { cwd: repo, env: modelEnv(fake.url) });
    expect(specs.exitCode, specs.stderr).toBe(2);
    expect(specs.stderr).toMatch(/03-pipe\.md/);
  }, 60_000);
});

describe('.mmm/ is off limits to the edit tool', () => {
  const tamper: HostileCall[] = [
    {
      edit: {
        command: 'str_replace',
        path: '.mmm/config.toml',
        old_str: 'test = "node check.js"',
        new_str: 'test = "true"',
      },
    },
    { create: { path: '.mmm/config.toml', text: '[commands]\ntest = "true"\n' } },
    { edit: { command: 'view', path: '.mmm/config.toml' } },
  ];

  for (const args of [[], ['--in-place']]) {
    it(`refuses to view or edit .mmm/config.toml (${args.length ? 'in place' : 'worktree'})`, async () => {
      const { repo, results, branch } = await hostileRun(tamper, {}, args);
      const refused = results.filter((t) => t.includes("mmm's own directory"));
      expect(refused).toHaveLength(3);
      expect(refused[0]).toMatch(/off limits to the agent/);
      expect(fileAt(repo, branch, '.mmm/config.toml')).toBe(TEST_CONFIG.trim());
      expect(readFileSync(join(repo, '.mmm', 'config.toml'), 'utf8')).toBe(TEST_CONFIG);
    }, 90_000);
  }
});

describe('spec_dir outside the repository', () => {
  for (const kind of ['relative', 'absolute', 'link'] as const) {
    it(`a ${kind} spec_dir leading outside: exit 2 before anything is created`, async () => {
      const outside = tempDir();
      const spec = readFileSync(join(improveRepo(SPECS), SPEC_FILE), 'utf8');
      writeTree(outside, { 'x/01-s1.md': spec });
      const made = improveRepo(SPECS);
      const value =
        kind === 'relative'
          ? relative(made, join(outside, 'x'))
          : kind === 'absolute'
            ? join(outside, 'x')
            : 'link-out';
      if (kind === 'relative') expect(value.startsWith('../')).toBe(true);
      if (kind === 'link') symlinkSync(join(outside, 'x'), join(made, 'link-out'));
      writeTree(made, {
        '.mmm/config.toml': `spec_dir = ${JSON.stringify(value)}\n${TEST_CONFIG}`,
      });
      git(made, 'add', '-A');
      git(made, 'commit', '-qm', 'spec_dir');
      fake = await startFakeAnthropic({ script: () => finish('nothing') });
      const r = await improve(made, [], hostileEnv(fake.url, {}, sandboxMode));
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toMatch(
        /\.mmm\/config\.toml: spec_dir ".*" (leaves the repository|is outside the repository|goes through a symbolic link)/,
      );
      expect(fake.messageRequests()).toHaveLength(0);
      expect(readdirSync(join(made, '.mmm'))).toEqual(['config.toml']);
      expect(git(made, 'branch', '--list', 'mmm/*')).toBe('');
      expect(git(made, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
      expect(readFileSync(join(outside, 'x', '01-s1.md'), 'utf8')).toBe(spec);
      const specs = await runMmm(['specs'], { cwd: made, env: modelEnv(fake.url) });
      expect(specs.exitCode, specs.stderr).toBe(2);
      expect(specs.stderr).toMatch(/spec_dir/);
      expect(readdirSync(join(made, '.mmm'))).toEqual(['config.toml']);
    }, 60_000);
  }
});

describe('a FIFO planted by a review round', () => {
  it('is reported as an invalid proposal, never read; the next round and its spec complete', async () => {
    const repo = gitRepo({ '.mmm/config.toml': TEST_CONFIG, 'check.js': CHECK_JS });
    const proposal = specFile({ id: 'greet', title: 'Greet', checks: ['file_exists: a.txt'] });
    let round = 0;
    fake = await startFakeAnthropic({
      script: (request) => {
        const t = describeTurn(request);
        if (t.taskId === '(review)') {
          if (t.turn === 1) round++;
          if (round === 1 && t.turn === 1) return runCommand('mkfifo specs/01-pipe.md');
          if (round === 2 && t.turn === 1) return createFile('specs/02-greet.md', proposal);
          return finish(round <= 2 ? 'Proposed a spec.' : 'Nothing else is worth doing.');
        }
        if (t.taskId === 'greet' && t.turn === 1) return createFile('a.txt', 'a\n');
        return finish(`Done with ${t.taskId}.`);
      },
    });
    const r = await improve(repo, ['--focus', 'greetings'], hostileEnv(fake.url, {}, sandboxMode));
    expect(r.signal, r.stderr).toBeNull();
    expect(r.exitCode, r.stderr).toBe(0);
    const end = runEnd(r.stdout);
    expect(end.status).toBe('completed');
    const warnings = JSON.stringify(events(r.stdout).filter((e) => e.type === 'warning'));
    expect(warnings).toMatch(/review round 1 wrote an invalid spec, discarded/);
    expect(warnings).toMatch(
      /specs\/01-pipe\.md:1:1: is a FIFO \(named pipe\), not a regular file/,
    );
    expect(fileAt(repo, end.branch, 'a.txt')).toBe('a');
    expect(fileAt(repo, end.branch, 'specs/02-greet.md')).toMatch(/^status: done$/m);
  }, 90_000);
});
