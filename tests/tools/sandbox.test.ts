import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../src/core/config/schema.js';
import { createRunWorktree } from '../../src/core/git/index.js';
import { createTools, runTool, type ToolSet } from '../../src/core/tools/index.js';
import { createSandbox, type Sandbox } from '../../src/core/tools/sandbox.js';
import { chooseSandbox } from '../../src/core/tools/sandbox-probe.js';
import { runShell } from '../../src/core/validate/exec.js';
import { git, gitRepo, tempDir, writeTree } from '../support/tmp.js';

/**
 * The bubblewrap sandbox with real bwrap, real git repositories and a real mmm worktree.
 * Skipped only on a machine without a working bwrap outside CI (CI installs it).
 */
const choice = chooseSandbox({ sandbox: 'auto', network: true });
const bwrap = choice.bwrap;
const runIt = bwrap !== undefined || process.env.CI !== undefined;

interface Fixture {
  main: string;
  work: string;
  home: string;
  sandbox: Sandbox;
}

const children: ChildProcess[] = [];
const servers: Server[] = [];
const sets: ToolSet[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const s of servers.splice(0)) s.close();
  for (const s of sets.splice(0)) await s.dispose();
});

/** A node project committed in `main`, node_modules ignored, and an mmm run worktree. */
async function fixture(network = true): Promise<Fixture> {
  const main = gitRepo({
    '.gitignore': 'node_modules/\n',
    'package.json': JSON.stringify({
      name: 'p',
      version: '1.0.0',
      scripts: { test: 'node --test' },
    }),
    'test/a.test.js': "const t = require('node:test');\nt.test('ok', () => {});\n",
    'README.md': 'hello\n',
  });
  writeTree(main, { 'node_modules/dep/index.js': 'module.exports = 1;\n' });
  const work = join(main, '.mmm', 'worktrees', 'run1');
  await createRunWorktree(main, work, 'mmm/run1', git(main, 'rev-parse', 'HEAD'));
  const home = tempDir('mmm-home-');
  mkdirSync(join(home, '.npm'));
  mkdirSync(join(home, '.cache'));
  if (!bwrap) throw new Error('bwrap is not available: install bubblewrap');
  const sandbox = createSandbox({
    bwrap,
    workDir: work,
    repoRoot: main,
    network,
    env: { HOME: home },
  });
  return { main, work, home, sandbox };
}

function sh(f: Fixture, command: string, cwd = f.work) {
  return runShell(command, { cwd, timeoutSec: 60, sandbox: f.sandbox, env: { HOME: f.home } });
}

function toolsIn(f: Fixture, tools: Partial<Config['tools']> = {}): ToolSet {
  const set = createTools({
    root: f.work,
    protectedPaths: [],
    config: { ...defaultConfig().tools, ...tools },
    sandbox: f.sandbox,
  });
  sets.push(set);
  return set;
}

async function bash(set: ToolSet, command: string): Promise<string> {
  return (await runTool(set.tools, 'bash', { command }, set.context)).content;
}

/** Host processes whose command line contains `marker`. */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (cmd.includes(marker) && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z') {
        found.push(Number(name));
      }
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

async function noneWith(marker: string): Promise<boolean> {
  for (let i = 0; i < 150 && processesWith(marker).length > 0; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return processesWith(marker).length === 0;
}

describe.skipIf(!runIt)('bubblewrap sandbox', () => {
  beforeAll(() => {
    expect(bwrap, 'CI must have a working bwrap (.ci/run installs bubblewrap)').toBeDefined();
  });

  it('writes the worktree but not the main checkout or the repository', async () => {
    const f = await fixture();
    const dotGit = join(f.main, '.git');
    const out = await sh(
      f,
      [
        'echo changed > README.md && echo new > new.txt && echo wt-ok',
        `echo x > ${f.main}/README.md || echo main-refused`,
        `echo x > ${f.main}/FILE || echo main-new-refused`,
        `touch ${dotGit}/objects/x || echo objects-refused`,
        `echo 0000 > ${dotGit}/refs/heads/main || echo refs-refused`,
        `echo 'touch /tmp/pwned' > ${dotGit}/hooks/post-commit || echo hooks-refused`,
        `git config core.fsmonitor 'touch /tmp/pwned' || echo config-refused`,
        `echo x >> ${dotGit}/config || echo config-file-refused`,
      ].join('\n'),
    );
    expect(out.output.split('\n').filter(Boolean)).toEqual(
      expect.arrayContaining([
        'wt-ok',
        'main-refused',
        'main-new-refused',
        'objects-refused',
        'refs-refused',
        'hooks-refused',
        'config-refused',
        'config-file-refused',
      ]),
    );
    expect(readFileSync(join(f.work, 'README.md'), 'utf8')).toBe('changed\n');
    expect(readFileSync(join(f.main, 'README.md'), 'utf8')).toBe('hello\n');
    expect(existsSync(join(f.main, 'FILE'))).toBe(false);
    expect(existsSync(join(dotGit, 'hooks', 'post-commit'))).toBe(false);
    expect(readFileSync(join(dotGit, 'config'), 'utf8')).not.toContain('fsmonitor');
  });

  it('lets git status and git diff work, and makes commits, resets and branch moves fail', async () => {
    const f = await fixture();
    const head = git(f.work, 'rev-parse', 'HEAD');
    const mainRef = git(f.main, 'rev-parse', 'refs/heads/main');
    writeFileSync(join(f.work, 'README.md'), 'edited\n');
    const status = await sh(f, 'git status --short && git diff');
    expect(status.exitCode).toBe(0);
    expect(status.output).toContain(' M README.md');
    expect(status.output).toContain('+edited');
    for (const command of [
      'git commit -qam x',
      'git -c user.name=a -c user.email=a@b commit -q --allow-empty -m x',
      'git checkout -q --detach',
      'git symbolic-ref HEAD refs/heads/main',
      'git update-ref refs/heads/mmm/run1 HEAD~0',
      'git branch -f main HEAD',
      'git tag planted',
      `git -C ${f.main} commit -q --allow-empty -m x`,
      'git reset -q --hard HEAD && git stash',
    ]) {
      const r = await sh(f, command);
      expect(r.exitCode, `${command}: ${r.output}`).not.toBe(0);
    }
    expect(git(f.work, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(f.work, 'symbolic-ref', 'HEAD')).toBe('refs/heads/mmm/run1');
    expect(git(f.main, 'rev-parse', 'refs/heads/main')).toBe(mainRef);
    expect(git(f.main, 'tag', '--list')).toBe('');
  });

  it('in place (the checkout is the work tree): its .git and .mmm stay read-only', async () => {
    const main = gitRepo({ 'README.md': 'hello\n', '.mmm/config.toml': '' });
    const head = git(main, 'rev-parse', 'HEAD');
    if (!bwrap) throw new Error('bwrap is not available');
    const sandbox = createSandbox({ bwrap, workDir: main, repoRoot: main, network: true });
    const run = (command: string) => runShell(command, { cwd: main, timeoutSec: 30, sandbox });
    const edit = await run('echo edited > README.md && git status --short && git diff --stat');
    expect(edit.exitCode, edit.output).toBe(0);
    expect(edit.output).toContain(' M README.md');
    for (const command of [
      'git commit -qam x',
      'git checkout -q --detach',
      'echo x > .git/hooks/pre-commit',
      'echo test = true > .mmm/config.toml',
    ]) {
      expect((await run(command)).exitCode, command).not.toBe(0);
    }
    expect(git(main, 'rev-parse', 'HEAD')).toBe(head);
    expect(readFileSync(join(main, '.mmm', 'config.toml'), 'utf8')).toBe('');
  });

  it("hides every other process: no /proc of mmm, ps shows only the command's own", async () => {
    const f = await fixture();
    const secret = 'sk-ant-sandbox-secret-4711';
    const outside = spawn('sleep', ['300'], { env: { ...process.env, MMM_FAKE_KEY: secret } });
    children.push(outside);
    const probe = [
      `cat /proc/${outside.pid}/environ 2>&1`,
      `tr '\\0' '\\n' </proc/$PPID/environ`,
      "echo found=$(cat /proc/*/environ | tr '\\0' '\\n' | grep -c MMM_FAKE_KEY)",
      `cat /proc/${process.pid}/cmdline 2>&1`,
      'echo; ls /proc | grep -E "^[0-9]+$" | wc -l',
    ].join('; ');
    const inside = await sh(f, probe);
    expect(inside.output).not.toContain(secret);
    expect(inside.output).toContain('No such file or directory');
    expect(inside.output).toContain('found=0');
    // bwrap's init, bash, and the pipeline: a handful, not the machine's processes.
    expect(Number(inside.output.trim().split('\n').at(-1))).toBeLessThan(8);
    // The same probe without the sandbox finds the secret: the test can fail.
    const bare = await runShell(`tr '\\0' '\\n' </proc/${outside.pid}/environ | grep MMM_FAKE`, {
      cwd: f.work,
      timeoutSec: 10,
    });
    expect(bare.output).toContain(secret);
  });

  it('ends setsid and background children with the command', async () => {
    const f = await fixture();
    const marker = '987654';
    const r = await sh(
      f,
      `setsid sleep ${marker} & nohup sleep ${marker}1 >/dev/null 2>&1 & echo started`,
    );
    expect(r.output).toContain('started');
    expect(await noneWith(marker)).toBe(true);
    const set = toolsIn(f);
    expect(await bash(set, `setsid sleep ${marker}2 & disown; echo started`)).toContain('started');
    expect(await noneWith(marker)).toBe(true);
  });

  it('cuts the network with tools.network = false, loopback included', async () => {
    const server = createServer((socket) => socket.end('hello\n'));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const connect = `exec 3<>/dev/tcp/127.0.0.1/${port} && head -1 <&3`;
    const open = await sh(await fixture(true), connect);
    expect(open.output).toContain('hello');
    const closed = await sh(await fixture(false), connect);
    expect(closed.exitCode).not.toBe(0);
    expect(closed.output).not.toContain('hello');
  });

  it('runs a node project: node --test and an npm script, with caches writable', async () => {
    const f = await fixture();
    const tests = await sh(f, 'node --test');
    expect(tests.exitCode, tests.output).toBe(0);
    const script = await sh(f, 'npm test --silent');
    expect(script.exitCode, script.output).toBe(0);
    const caches = await sh(
      f,
      [
        'touch "$HOME/.npm/c1" "$HOME/.cache/c2" node_modules/.vite/c3 && echo caches-ok',
        'touch "$HOME/not-a-cache"',
        'echo x > node_modules/dep/index.js || echo deps-refused',
        'echo t > /tmp/t && cat /tmp/t',
      ].join('\n'),
    );
    expect(caches.output).toContain('caches-ok');
    expect(existsSync(join(f.home, 'not-a-cache'))).toBe(false);
    expect(caches.output).toContain('deps-refused');
    expect(caches.output).toContain('t\n');
    expect(existsSync(join(f.home, '.npm', 'c1'))).toBe(true);
    expect(existsSync(join(f.main, 'node_modules', '.vite', 'c3'))).toBe(true);
    expect(readFileSync(join(f.main, 'node_modules', 'dep', 'index.js'), 'utf8')).toContain('= 1');
  });

  it('keeps the bash tool working: state across commands, private /tmp, timeouts', async () => {
    const f = await fixture();
    const set = toolsIn(f, { bash_timeout: 2 });
    const name = `mmm-sandbox-${process.pid}`;
    expect(await bash(set, `cd test && export FOO=bar && echo kept > /tmp/${name}`)).toContain(
      'exit code: 0',
    );
    expect(await bash(set, `pwd; echo $FOO; cat /tmp/${name}`)).toBe(
      `${join(f.work, 'test')}\nbar\nkept\n[exit code: 0]`,
    );
    expect(existsSync(`/tmp/${name}`)).toBe(false);
    expect(await bash(set, 'cd /tmp && pwd')).toContain('/tmp');
    expect(await bash(set, 'pwd')).toBe('/tmp\n[exit code: 0]');
    const slow = await runTool(set.tools, 'bash', { command: 'sleep 317' }, set.context);
    expect(slow.isError).toBe(true);
    expect(slow.content).toMatch(/timed out after 2 s/);
    expect(await noneWith('sleep 317')).toBe(true);
    expect(await bash(set, 'echo alive')).toBe('alive\n[exit code: 0]');
    const abort = new AbortController();
    const running = runTool(
      set.tools,
      'bash',
      { command: 'setsid sleep 301 & sleep 302' },
      { ...set.context, signal: abort.signal },
    );
    for (let i = 0; i < 100 && processesWith('sleep 302').length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    abort.abort();
    const aborted = await running;
    expect(aborted.isError).toBe(true);
    expect(aborted.content).toMatch(/aborted/);
    expect(await noneWith('sleep 301')).toBe(true);
    expect(await noneWith('sleep 302')).toBe(true);
  });
});

describe('sandbox choice', () => {
  const noBwrapPath = '/nonexistent-bin';

  it('auto without bwrap: no sandbox and a warning that says what is unprotected', () => {
    const c = chooseSandbox({ sandbox: 'auto', network: true }, { PATH: noBwrapPath });
    expect(c.mode).toBe('off');
    expect(c.warning).toMatch(/no sandbox: .*not installed/);
    expect(c.warning).toMatch(/\/proc\/<pid>\/environ/);
    expect(c.warning).toMatch(/install bubblewrap|Linux/);
  });

  it('bwrap without bwrap: bad input, exit 2', () => {
    expect(() => chooseSandbox({ sandbox: 'bwrap', network: true }, { PATH: noBwrapPath })).toThrow(
      expect.objectContaining({
        exitCode: 2,
        message: expect.stringMatching(/tools.sandbox = "bwrap"/),
      }),
    );
  });

  it('off: no sandbox and no warning, unless the network was to be cut', () => {
    expect(chooseSandbox({ sandbox: 'off', network: true })).toEqual({ mode: 'off' });
    expect(chooseSandbox({ sandbox: 'off', network: false }).warning).toMatch(
      /tools.network = false has no effect/,
    );
  });

  it.skipIf(!runIt)('auto with bwrap: the sandbox', () => {
    expect(chooseSandbox({ sandbox: 'auto', network: false })).toMatchObject({ mode: 'bwrap' });
  });
});
