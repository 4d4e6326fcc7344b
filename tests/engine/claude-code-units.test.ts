import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkClaude, REQUIRED_FLAGS } from '../../src/core/engine/claude-code/binary.js';
import { permissionSetup } from '../../src/core/engine/claude-code/permissions.js';
import { claudeArgs } from '../../src/core/engine/claude-code/step.js';
import { configSchema } from '../../src/core/config/schema.js';
import type { EngineTask } from '../../src/core/engine/types.js';
import { ClaudeStreamMapper } from '../../src/core/engine/claude-code/stream.js';
import { isMmmError } from '../../src/core/errors.js';
import { toolCallText } from '../../src/ui/tui/tool-names.js';
import { runMmm } from '../support/cli.js';
import { claudeEnv, findTestClaude } from '../support/fake-claude-code.js';
import { improveRepo } from '../improve/helpers.js';
import { tempDir, writeTree } from '../support/tmp.js';

/** A stand-in `claude` (a real shell script): its version, its --help, its auth status. */
function fakeClaude(opts: { version?: string; help?: string[]; print?: string }): string {
  const dir = tempDir('mmm-fake-claude-');
  const help = (opts.help ?? REQUIRED_FLAGS).join('\n');
  writeTree(dir, {
    claude: `#!/bin/sh
case "$1" in
  --version) echo "${opts.version ?? '2.1.332'} (Claude Code)"; exit 0 ;;
  --help) printf '%s\\n' "${help}"; exit 0 ;;
  auth) echo '{"loggedIn": true, "authMethod": "claude.ai"}'; exit 0 ;;
esac
cat >/dev/null
${opts.print ?? 'echo "claude: internal error: boom" >&2; exit 1'}
`,
  });
  chmodSync(join(dir, 'claude'), 0o755);
  return join(dir, 'claude');
}

async function failure(promise: Promise<unknown>): Promise<{ code: number; text: string }> {
  try {
    await promise;
  } catch (error) {
    if (isMmmError(error))
      return { code: error.exitCode, text: `${error.message} (${error.hint})` };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('claude-code engine: stream-json → AgentEvents', () => {
  it('maps a turn with a denied tool call, then takes the cost from the result', () => {
    let clock = 0;
    const m = new ClaudeStreamMapper('claude-sonnet-5-5', '/w', {}, () => (clock += 10));
    const lines = [
      { type: 'system', subtype: 'init', session_id: 's-1' },
      {
        type: 'stream_event',
        event: {
          type: 'message_start',
          message: { id: 'm1', usage: { input_tokens: 100, cache_read_input_tokens: 50 } },
        },
      },
      {
        type: 'stream_event',
        event: { type: 'content_block_delta', delta: { type: 'text_delta', text: 'Commit' } },
      },
      {
        type: 'assistant',
        message: { id: 'm1', content: [{ type: 'text', text: 'Committing.' }] },
      },
      {
        type: 'assistant',
        message: {
          id: 'm1',
          content: [
            { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'git commit -m x' } },
          ],
        },
      },
      {
        type: 'stream_event',
        event: {
          type: 'message_delta',
          delta: { stop_reason: 'tool_use' },
          usage: { output_tokens: 20 },
        },
      },
      { type: 'stream_event', event: { type: 'message_stop' } },
      {
        type: 'user',
        message: {
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              is_error: true,
              content: 'Permission to use Bash with command git commit -m x has been denied.',
            },
          ],
        },
      },
      {
        type: 'assistant',
        parent_tool_use_id: 'sub',
        message: { id: 'x', content: [{ type: 'text', text: 'subagent' }] },
      },
      {
        type: 'result',
        subtype: 'success',
        is_error: false,
        result: 'Gave up.',
        num_turns: 1,
        session_id: 's-1',
        total_cost_usd: 0.5,
        usage: { input_tokens: 300, output_tokens: 20, cache_read_input_tokens: 50 },
      },
    ];
    const out = lines.flatMap((l) => m.map(l));
    expect(out.map((e) => e.type)).toEqual([
      'session',
      'request_start',
      'text_delta',
      'text',
      'tool_call',
      'usage',
      'tool_result',
      'turn_end',
      'usage',
    ]);
    expect(out[4]).toMatchObject({ summary: 'bash: git commit -m x' });
    expect(out[5]).toMatchObject({ usage: { input: 100, output: 20, cacheRead: 50 } });
    expect(out[6]).toMatchObject({
      ok: false,
      display: "bash: git commit -m x → denied by mmm's permission rules",
      durationMs: 10,
    });
    // The result's totals (subagents included) become the attempt's: $0.50 exactly.
    expect(out[8]).toMatchObject({ usage: { input: 200, output: 0 }, totalCost: 0.5 });
    expect(m.totalCost).toBe(0.5);
    expect(m.summary).toBe('Gave up.');
    expect(m.stopReason()).toEqual({ reason: 'end_turn' });
  });

  it('reads max turns and errors from the result line', () => {
    const m = new ClaudeStreamMapper('m', '/w', {});
    m.map({ type: 'result', subtype: 'error_max_turns', is_error: true, usage: {} });
    expect(m.stopReason()).toEqual({ reason: 'max_turns' });
    const e = new ClaudeStreamMapper('m', '/w', {});
    e.map({
      type: 'result',
      subtype: 'error_during_execution',
      is_error: true,
      result: 'overloaded',
      api_error_status: 529,
      usage: {},
    });
    expect(e.stopReason()?.error).toBe(
      'Claude Code ended with error_during_execution (HTTP 529): overloaded',
    );
  });

  it("shows Claude Code's tools in the words of mmm's own", () => {
    expect(toolCallText('Bash', 'bash: npm test', 'bash: npm test → exit 0')).toBe(
      'bash: npm test → exit 0',
    );
    expect(toolCallText('Read', 'view src/a.ts', 'view src/a.ts')).toBe('view src/a.ts');
    expect(toolCallText('Write', 'edit a.txt (create)')).toBe('edit a.txt (create)');
  });
});

describe('claude-code engine: permission rules', () => {
  it('allows edits in the work tree only, denies the git commands mmm owns', () => {
    const setup = permissionSetup({
      mode: 'dontAsk',
      workDir: '/r/.mmm/worktrees/x',
      protectedPaths: [],
    });
    expect(setup.allow).toContain('Edit(//r/.mmm/worktrees/x/**)');
    for (const sub of [
      'commit',
      'push',
      'reset',
      'checkout',
      'rebase',
      'tag',
      'config',
      'worktree',
    ]) {
      expect(setup.deny).toContain(`Bash(git ${sub}:*)`);
    }
    expect(setup.deny).toContain('Edit(//r/.mmm/worktrees/x/.git)');
    expect(JSON.parse(setup.settings)).toMatchObject({ permissions: { defaultMode: 'dontAsk' } });
  });
});

describe('claude-code engine: the claude command line', () => {
  const config = configSchema.parse({ model: 'claude-opus-5', max_turns: 7 });
  const task = {
    workDir: '/r/.mmm/worktrees/x',
    repoRoot: '/r',
    system: 'You are mmm.',
    task: 'Do task a.',
  } as EngineTask;
  const ctx = {
    config,
    binary: { path: 'claude', version: '2.1.332' },
    env: {},
    runDir: '/r/.mmm/runs/x',
  };
  it("passes the model, max_turns, mmm's rules and the permission setup", () => {
    const args = claudeArgs(ctx, task);
    const after = (flag: string): string | undefined => args[args.indexOf(flag) + 1];
    expect(args.slice(0, 5)).toEqual([
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      '--include-partial-messages',
    ]);
    expect(after('--model')).toBe('claude-opus-5');
    expect(after('--max-turns')).toBe('7');
    expect(after('--append-system-prompt')).toMatch(
      /^You are mmm\.\n\nThis session runs in Claude Code/,
    );
    expect(after('--permission-mode')).toBe('dontAsk');
    expect(args).not.toContain('--dangerously-skip-permissions');
    expect(args).not.toContain('--resume');
  });
  it('continues a session with --resume (its recorded system prompt stays)', () => {
    const args = claudeArgs({ ...ctx, resumeSession: 's-1' }, task);
    expect(args[args.indexOf('--resume') + 1]).toBe('s-1');
    expect(args).not.toContain('--append-system-prompt');
  });
});

describe('claude-code engine: finding claude', () => {
  const env = (path: string): NodeJS.ProcessEnv => ({ PATH: path });
  it('a missing binary: exit 2, saying how to install it or use the API', async () => {
    const f = await failure(checkClaude(undefined, env(tempDir()), '/'));
    expect(f.code).toBe(2);
    expect(f.text).toMatch(
      /no `claude` binary is on PATH.*npm install -g @anthropic-ai\/claude-code/,
    );
  });
  it('a version that is too old, or lacks a flag: exit 2, saying to update', async () => {
    const old = await failure(checkClaude(fakeClaude({ version: '1.0.3' }), env(''), '/'));
    expect(old.code).toBe(2);
    expect(old.text).toMatch(
      /too old \(1\.0\.3 \(Claude Code\)\).*2\.0\.0 or newer.*claude update/,
    );
    const lacking = await failure(
      checkClaude(fakeClaude({ help: ['--verbose', '--model'] }), env(''), '/'),
    );
    expect(lacking.text).toMatch(/lacks flags the engine needs: --output-format/);
  });
  it('a claude that exits non-zero mid-step ends the run as a provider error naming it', async () => {
    const repo = improveRepo([{ id: 'first', title: 'Write a' }]);
    const claude = fakeClaude({});
    const r = await runMmm(['improve', '--no-tui', '--engine', 'claude-code'], {
      cwd: repo,
      env: { ...claudeEnv('http://127.0.0.1:9', claude), MMM_CLAUDE_CODE__PATH: claude },
    });
    expect(r.exitCode).toBe(4);
    expect(r.stdout + r.stderr).toMatch(/claude exited with code 1 .*boom/);
  }, 30_000);
});

const real = findTestClaude();
describe.skipIf(!real.path)(
  `claude-code engine: credentials${real.path ? '' : ` (skipped: ${real.reason})`}`,
  () => {
    it('not logged in and no key: exit 4 before anything is created', async () => {
      const repo = improveRepo([{ id: 'first', title: 'Write a' }]);
      const env = { ...claudeEnv('http://127.0.0.1:9', real.path!), ANTHROPIC_API_KEY: undefined };
      const r = await runMmm(['improve', '--engine', 'claude-code'], { cwd: repo, env });
      expect(r.exitCode).toBe(4);
      expect(r.stderr).toMatch(/Claude Code is not logged in.*claude auth login/s);
      expect(existsSync(join(repo, '.mmm', 'runs'))).toBe(false);
    }, 30_000);

    it('no API key, but claude is installed: the error says how to use it', async () => {
      const repo = improveRepo([{ id: 'first', title: 'Write a' }]);
      const env = { ...claudeEnv('http://127.0.0.1:9', real.path!), ANTHROPIC_API_KEY: undefined };
      const r = await runMmm(['improve'], { cwd: repo, env });
      expect(r.exitCode).toBe(4);
      expect(r.stderr).toMatch(/ANTHROPIC_API_KEY is not set/);
      expect(r.stderr).toMatch(/--engine claude-code/);
    }, 30_000);
  },
);
