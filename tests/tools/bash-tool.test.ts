import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, writeTree } from '../support/tmp.js';
import { bash, toolsFor } from './helpers.js';

/** Running (a zombie — killed, waiting for a reaper that some containers lack — is not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

async function gone(pid: number): Promise<boolean> {
  // A SIGKILLed process disappears once reaped by init; give it a moment.
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !alive(pid);
}

describe('bash tool', () => {
  it('runs in the root and reports output and exit code', async () => {
    const root = tempDir();
    const set = toolsFor(root);
    const out = await bash(set, { command: 'pwd; echo err >&2; exit 3' });
    expect(out.isError).toBe(false);
    expect(out.content).toBe(`${root}\nerr\n[exit code: 3]`);
    expect((await bash(set, { command: 'true' })).content).toBe('(no output)\n[exit code: 0]');
  });

  it('keeps working directory and exported variables; restart resets them', async () => {
    const root = tempDir();
    writeTree(root, { 'sub/dir/f': '' });
    const set = toolsFor(root);
    await bash(set, { command: 'cd sub/dir && export GREETING="hi there" && LOCAL=1' });
    const out = await bash(set, { command: 'pwd; echo "$GREETING|$LOCAL"' });
    expect(out.content).toBe(`${join(root, 'sub/dir')}\nhi there|\n[exit code: 0]`);
    const restarted = await bash(set, { restart: true });
    expect(restarted).toMatchObject({ isError: false, content: 'The shell has been restarted.' });
    const after = await bash(set, { command: 'pwd; echo "[$GREETING]"' });
    expect(after.content).toBe(`${root}\n[]\n[exit code: 0]`);
  });

  it('falls back to the root when the working directory was removed', async () => {
    const root = tempDir();
    const set = toolsFor(root);
    await bash(set, { command: 'mkdir gone && cd gone' });
    await bash(set, { command: `rm -rf ${join(root, 'gone')}` });
    const out = await bash(set, { command: 'pwd' });
    expect(out.content).toContain('no longer exists');
    expect(out.content).toContain(`${root}\n[exit code: 0]`);
  });

  it('kills a hanging command with its process group and background children at the timeout', async () => {
    const root = tempDir();
    const set = toolsFor(root, { bash_timeout: 2 });
    const out = await bash(set, {
      command: 'sleep 300 & echo $! > bg.pid; echo started; sleep 300',
    });
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/^started\n\[The command timed out after 2 s and was killed/);
    const pid = Number(readFileSync(join(root, 'bg.pid'), 'utf8'));
    expect(await gone(pid)).toBe(true);
    // The shell is usable afterwards.
    expect((await bash(set, { command: 'echo ok' })).content).toBe('ok\n[exit code: 0]');
  });

  it('stops background children left behind by a finished command', async () => {
    const root = tempDir();
    const set = toolsFor(root);
    const out = await bash(set, {
      command: '(sleep 300 &) ; sleep 300 & echo $! > bg.pid; echo done',
    });
    expect(out.content).toBe('done\n[exit code: 0]');
    expect(await gone(Number(readFileSync(join(root, 'bg.pid'), 'utf8')))).toBe(true);
  });

  it('gives commands that read stdin an immediate EOF', async () => {
    const set = toolsFor(tempDir(), { bash_timeout: 20 });
    const out = await bash(set, { command: 'cat; read -r line; echo "read=$?"' });
    expect(out).toMatchObject({ isError: false, content: 'read=1\n[exit code: 0]' });
  });

  it('caps a gigabyte of output, keeping head and tail, in bounded memory', async () => {
    const set = toolsFor(tempDir(), { output_limit: 1000 });
    const before = process.memoryUsage().rss;
    const out = await bash(set, { command: 'echo BEGIN; yes | head -c 1000000000; echo END' });
    const grown = process.memoryUsage().rss - before;
    expect(out.isError).toBe(false);
    expect(out.content.length).toBeLessThan(1400);
    expect(out.content).toMatch(/^BEGIN\ny\ny\n/);
    expect(out.content).toMatch(
      /\[\.\.\. 999,999,010 bytes of output cut \(total 1,000,000,010 bytes\)/,
    );
    expect(out.content).toMatch(/y\nEND\n\[exit code: 0\]$/);
    expect(grown).toBeLessThan(200 * 2 ** 20);
  });

  it('hides secrets and sets a non-interactive environment', async () => {
    process.env.ANTHROPIC_API_KEY = 'sk-ant-test-secret';
    process.env.MY_SERVICE_TOKEN = 'tok';
    process.env.AWS_REGION = 'eu-west-1';
    try {
      const set = toolsFor(tempDir());
      const out = await bash(set, {
        command:
          'env | grep -E "^(ANTHROPIC|MY_SERVICE|AWS_)" ; echo "$CI $GIT_TERMINAL_PROMPT $PAGER $GIT_PAGER $TERM"',
      });
      expect(out.content).toBe('true 0 cat cat dumb\n[exit code: 0]');
    } finally {
      delete process.env.ANTHROPIC_API_KEY;
      delete process.env.MY_SERVICE_TOKEN;
      delete process.env.AWS_REGION;
    }
  });

  it('aborts a running command immediately via the signal', async () => {
    const root = tempDir();
    const set = toolsFor(root, { bash_timeout: 600 });
    const controller = new AbortController();
    const running = bash(set, { command: 'echo $$ > sh.pid; sleep 300' }, controller.signal);
    // Abort once the command is surely running (it wrote its pid).
    for (
      let i = 0;
      i < 500 &&
      !(
        existsSync(join(root, 'sh.pid')) &&
        readFileSync(join(root, 'sh.pid'), 'utf8').endsWith('\n')
      );
      i++
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    controller.abort();
    const out = await running;
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/aborted by the user/);
    expect(await gone(Number(readFileSync(join(root, 'sh.pid'), 'utf8')))).toBe(true);
  });

  it('refuses policy-denied commands without running them', async () => {
    const root = tempDir();
    const set = toolsFor(root);
    const out = await bash(set, { command: 'touch ran && git commit -am x' });
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/refused .*git commit -am x.*commits your changes for you/s);
    expect((await bash(set, { command: 'ls' })).content).toBe('(no output)\n[exit code: 0]');
  });

  it('answers bad input with an error result', async () => {
    const set = toolsFor(tempDir());
    expect(await bash(set, {})).toMatchObject({
      isError: true,
      content: expect.stringMatching(/No command given/),
    });
    expect(await bash(set, { command: 42 })).toMatchObject({
      isError: true,
      content: expect.stringMatching(/command/),
    });
    expect(await bash(set, 'ls')).toMatchObject({ isError: true });
  });
});
