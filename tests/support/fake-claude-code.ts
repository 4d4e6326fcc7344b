/**
 * Driving the real Claude Code CLI (`claude`) against the fake Anthropic server: where
 * the pinned binary is (scripts/install-claude-code.sh puts it in a cache outside the
 * repository), the environment that keeps it offline, and replies in its tools' shapes
 * (Read, Edit, Write, Bash). Claude Code's requests carry `role: "system"` messages and
 * its own tools; fake-anthropic.ts serves them as they are.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RecordedRequest, ScriptedReply } from './fake-anthropic.js';
import { tempDir } from './tmp.js';

export const CLAUDE_CODE_VERSION = '2.1.332';

function cachedBinary(): string {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(
    cache,
    'mmm-tests',
    `claude-code-${CLAUDE_CODE_VERSION}`,
    'node_modules',
    '.bin',
    'claude',
  );
}

/** The binary, or why the tests that need it are skipped. */
export function findTestClaude(): { path?: string; reason: string } {
  const path = process.env.MMM_TEST_CLAUDE ?? cachedBinary();
  if (!existsSync(path)) {
    return {
      reason: `Claude Code ${CLAUDE_CODE_VERSION} is not installed at ${path}: run scripts/install-claude-code.sh (about 380 MB, outside the repository)`,
    };
  }
  try {
    const version = execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 });
    if (!version.startsWith(CLAUDE_CODE_VERSION)) {
      return { reason: `${path} is Claude Code ${version.trim()}, not ${CLAUDE_CODE_VERSION}` };
    }
  } catch (error) {
    return { reason: `${path} --version failed: ${(error as Error).message}` };
  }
  return { path, reason: '' };
}

/** Environment for mmm (and its claude child): offline, a private HOME, claude on PATH. */
export function claudeEnv(url: string, claude: string): Record<string, string> {
  const home = tempDir('mmm-cc-home-');
  return {
    HOME: home,
    PATH: `${dirname(claude)}:${process.env.PATH ?? ''}`,
    ANTHROPIC_BASE_URL: url,
    ANTHROPIC_API_KEY: 'sk-ant-test',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
  };
}

/** What a scripted model sees of one of Claude Code's requests. */
export interface ClaudeTurn {
  /** The mmm task id in the appended system prompt. */
  taskId: string;
  /** 1 for the first request of a session, 2 after the first tool results, … */
  turn: number;
  system: string;
  /** The text of the first user message (the prompt mmm wrote to stdin). */
  prompt: string;
  /** Text of the tool results sent back in this request. */
  toolResults: string[];
  /** "Primary working directory: …" from Claude Code's environment message. */
  workDir: string;
}

function blocksText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b: { type?: string; text?: string; content?: unknown }) =>
      b.type === 'text' ? (b.text ?? '') : b.type === 'tool_result' ? blocksText(b.content) : '',
    )
    .join('\n');
}

export function describeClaudeTurn(request: RecordedRequest): ClaudeTurn {
  const { system, messages } = request.body;
  const systemText =
    typeof system === 'string' ? system : (system ?? []).map((b) => b.text).join('\n');
  const all = messages.map((m) => blocksText(m.content)).join('\n');
  const last = messages.at(-1);
  const toolResults: string[] = [];
  if (last && Array.isArray(last.content)) {
    for (const block of last.content) {
      if (block.type === 'tool_result') toolResults.push(blocksText(block.content));
    }
  }
  const firstUser = messages.find((m) => m.role === 'user');
  return {
    taskId: /<task id="([^"]*)"/.exec(systemText + all)?.[1] ?? '',
    turn: messages.filter((m) => m.role === 'assistant').length + 1,
    system: systemText,
    prompt: firstUser ? blocksText(firstUser.content) : '',
    toolResults,
    workDir: /Primary working directory: (\S+)/.exec(all + systemText)?.[1] ?? '',
  };
}

const usage = { input_tokens: 1000, output_tokens: 50 };

export function ccWrite(file: string, content: string): ScriptedReply {
  return {
    content: [
      { type: 'text', text: `Writing ${file}.` },
      { type: 'tool_use', name: 'Write', input: { file_path: file, content } },
    ],
    usage,
  };
}

export function ccBash(command: string): ScriptedReply {
  return {
    content: [{ type: 'tool_use', name: 'Bash', input: { command, description: command } }],
    usage,
  };
}

export function ccFinish(summary: string): ScriptedReply {
  return { content: [{ type: 'text', text: summary }], usage };
}

/** The AgentEvents of a given type in `mmm improve --json` output. */
export function agentEvents(stdout: string, type: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type?: string; event?: Record<string, unknown> })
    .filter((e) => e.type === 'agent' && e.event?.type === type)
    .map((e) => e.event as Record<string, unknown>);
}

/** Processes whose working directory is inside `dir` (a claude, or anything it started). */
export function processesIn(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`).startsWith(dir)) found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

export async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}
