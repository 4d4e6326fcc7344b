import { isAbsolute, relative } from 'node:path';

/**
 * The short lines the TUI and the plain log show for Claude Code's tool calls, in the
 * words mmm uses for its own tools ("view src/a.ts", "edit src/a.ts", "bash: npm test"),
 * so that a run reads the same whichever engine works.
 */

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function firstLine(value: string, max = 100): string {
  const line = value.split('\n').find((l) => l.trim() !== '') ?? '';
  const trimmed = line.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}

/** A path as the user reads it: relative to the work tree when inside it. */
function shown(path: string, workDir: string): string {
  if (!path || !isAbsolute(path)) return path;
  const rel = relative(workDir, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export function claudeToolSummary(name: string, input: unknown, workDir: string): string {
  const args = (typeof input === 'object' && input !== null ? input : {}) as Record<
    string,
    unknown
  >;
  const path = shown(text(args.file_path) || text(args.notebook_path) || text(args.path), workDir);
  switch (name) {
    case 'Bash':
      return `bash: ${firstLine(text(args.command))}`;
    case 'Read':
      return `view ${path}`;
    case 'Edit':
    case 'MultiEdit':
    case 'NotebookEdit':
      return `edit ${path}`;
    case 'Write':
      return `edit ${path} (create)`;
    case 'Glob':
      return `glob ${text(args.pattern)}${path ? ` in ${path}` : ''}`;
    case 'Grep':
      return `grep ${text(args.pattern)}${path ? ` in ${path}` : ''}`;
    case 'Task':
    case 'Agent':
      return `agent: ${firstLine(text(args.description) || text(args.prompt))}`;
    case 'WebFetch':
      return `fetch ${text(args.url)}`;
    case 'WebSearch':
      return `search ${text(args.query)}`;
    default:
      return name;
  }
}

/** What a tool result's content says, as text (strings, or text blocks). */
export function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((block: unknown) =>
        typeof block === 'object' && block !== null && 'text' in block
          ? text((block as { text: unknown }).text)
          : '',
      )
      .join('\n');
  }
  return '';
}

const DENIED = /^(Error: )?Permission to use .* (has been|was) denied/;

/** The outcome part of a tool line: "denied", an exit code, or the first line of an error. */
export function claudeResultDisplay(summary: string, ok: boolean, content: string): string {
  if (DENIED.test(content.trim())) return `${summary} → denied by mmm's permission rules`;
  if (ok) return summary.startsWith('bash:') ? `${summary} → exit 0` : summary;
  const exit = /^Exit code (\d+)/.exec(content.trim());
  if (exit) return `${summary} → exit ${exit[1]}`;
  return `${summary} → ${firstLine(content.replace(/<\/?tool_use_error>/g, ''), 80) || 'failed'}`;
}
