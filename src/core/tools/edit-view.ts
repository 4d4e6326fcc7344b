import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import ignore from 'ignore';
import type { ToolOutcome } from './types.js';
import { isInside, MMM_DIR } from './path-guard.js';
import { numbered, splitLines, type TextFile } from './text-file.js';
import { gitBaseEnv, gitProgram } from '../git/exec.js';

/** `view` of the editor tool: numbered file contents and two-level directory listings. */

const MAX_VIEW_LINES = 2000;
const MAX_ENTRIES = 400;

function ok(content: string, display: string): ToolOutcome {
  return { content, isError: false, display };
}

function fail(content: string, display: string): ToolOutcome {
  return { content, isError: true, display };
}

export function viewFile(
  file: TextFile,
  rel: string,
  range: readonly [number, number] | undefined,
  charLimit: number,
): ToolOutcome {
  const lines = splitLines(file.text);
  const total = lines.length;
  if (total === 0) return ok(`The file ${rel} is empty.`, `view ${rel} (empty)`);
  let start = 1;
  let end = total;
  const notes: string[] = [];
  if (range) {
    [start, end] = range;
    if (start < 1 || start > total) {
      return fail(
        `Invalid view_range [${range.join(', ')}]: the first number must be a line between 1 and ${total} (the file has ${total} lines).`,
        `view ${rel}: bad range`,
      );
    }
    if (end === -1) end = total;
    if (end < start) {
      return fail(
        `Invalid view_range [${range.join(', ')}]: the end must be -1 (end of file) or a line number >= ${start}.`,
        `view ${rel}: bad range`,
      );
    }
    if (end > total) {
      notes.push(
        `(view_range end ${end} is past the end of the file; showing up to line ${total}.)`,
      );
      end = total;
    }
  }
  if (end - start + 1 > MAX_VIEW_LINES) end = start + MAX_VIEW_LINES - 1;
  let body = numbered(lines.slice(start - 1, end), start);
  if (body.length > charLimit) {
    // Cut at a line boundary under the character budget.
    const cut = body.lastIndexOf('\n', charLimit);
    body = body.slice(0, cut > 0 ? cut : charLimit);
    end = start + body.split('\n').length - 1;
  }
  if (end < total && (!range || end < (range[1] === -1 ? total : Math.min(range[1], total)))) {
    notes.push(
      `[Showing lines ${start}-${end} of ${total}. The rest was cut to keep the output small; view more with view_range [${end + 1}, ${Math.min(total, end + MAX_VIEW_LINES)}], or search with \`grep -n PATTERN ${rel}\` in bash.]`,
    );
  }
  const header = `Here's the result of running \`cat -n\` on ${rel}:\n`;
  return ok(
    header + body + (notes.length ? `\n${notes.join('\n')}` : ''),
    `view ${rel} (${start}-${end} of ${total} lines)`,
  );
}

interface Entry {
  rel: string;
  dir: boolean;
}

async function walk(
  dir: string,
  root: string,
  depth: number,
  skip: readonly string[],
  out: Entry[],
): Promise<void> {
  let names;
  try {
    names = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  names.sort((a, b) => a.name.localeCompare(b.name));
  for (const d of names) {
    if (d.name === '.git') continue;
    if (d.name === MMM_DIR && dir === root) continue;
    const abs = join(dir, d.name);
    if (skip.some((p) => isInside(p, abs))) continue;
    const isDir = d.isDirectory();
    out.push({ rel: relative(root, abs).split(sep).join('/'), dir: isDir });
    if (isDir && depth > 1) await walk(abs, root, depth - 1, skip, out);
  }
}

/** Paths (relative to root) that git or the root .gitignore ignores. */
async function ignoredSet(root: string, rels: readonly string[]): Promise<Set<string>> {
  const fromGit = await new Promise<Set<string> | undefined>((done) => {
    const child = spawn(gitProgram(), ['check-ignore', '--stdin', '-z'], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { ...gitBaseEnv(), GIT_TERMINAL_PROMPT: '0' },
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => (out += c));
    child.on('error', () => done(undefined));
    child.on('close', (code) => {
      if (code !== 0 && code !== 1) return done(undefined);
      done(new Set(out.split('\0').filter(Boolean)));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(rels.join('\0') + '\0');
  });
  if (fromGit) return fromGit;
  const ig = ignore();
  try {
    ig.add(await readFile(join(root, '.gitignore'), 'utf8'));
  } catch {
    return new Set();
  }
  return new Set(rels.filter((r) => ig.ignores(r)));
}

export async function viewDirectory(
  dirAbs: string,
  rel: string,
  root: string,
  protectedPaths: readonly string[],
): Promise<ToolOutcome> {
  const entries: Entry[] = [];
  const skip = protectedPaths.map((p) => resolve(root, p));
  await walk(dirAbs, root, 2, skip, entries);
  const rels = entries.map((e) => (e.dir ? `${e.rel}/` : e.rel));
  const ignored = await ignoredSet(root, rels);
  const ignoredDirs = rels.filter((r) => r.endsWith('/') && ignored.has(r));
  const kept = rels.filter(
    (r) =>
      !ignored.has(r) &&
      !ignored.has(r.replace(/\/$/, '')) &&
      !ignoredDirs.some((d) => r.startsWith(d)),
  );
  const shown = kept.slice(0, MAX_ENTRIES);
  const more = kept.length - shown.length;
  const hidden = kept.length < rels.length;
  const lines = [
    `Files and directories up to 2 levels deep in ${rel} (paths relative to the project root; .git${hidden ? ', git-ignored files' : ''} and mmm's run data excluded):`,
    ...shown,
  ];
  if (shown.length === 0) lines.push('(empty)');
  if (more > 0) {
    lines.push(`[${more} more entries not shown; view a subdirectory to see them.]`);
  }
  return ok(lines.join('\n'), `view ${rel === '.' ? '.' : `${rel}/`} (${kept.length} entries)`);
}
