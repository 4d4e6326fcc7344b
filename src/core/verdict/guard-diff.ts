import { unquotePath } from '../git/quoted-path.js';
/**
 * A unified diff (`git diff` output) parsed into what the integrity guard reads: per file,
 * how it changed and its added and removed lines with their line numbers. Pure: the diff
 * comes from guard-git.ts, or from a fixture in the tests.
 */

export interface DiffLine {
  /** 1-based: in the new file for added lines, in the old file for removed ones. */
  line: number;
  text: string;
}

export type DiffStatus = 'added' | 'deleted' | 'modified' | 'renamed';

export interface DiffFile {
  /** Repository-relative path before the change (null for a new file). */
  oldPath: string | null;
  /** Repository-relative path after the change (null for a deleted file). */
  newPath: string | null;
  status: DiffStatus;
  binary: boolean;
  added: DiffLine[];
  removed: DiffLine[];
}

/** The path a change is reported under: the new one, else the old one. */
export function pathOf(file: DiffFile): string {
  return file.newPath ?? file.oldPath ?? '';
}

/** `a/src/x.ts` → `src/x.ts`; `/dev/null` → null. */
function sidePath(raw: string, prefix: 'a/' | 'b/'): string | null {
  const text = unquotePath(raw.replace(/\t$/, ''));
  if (text === '/dev/null') return null;
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}

/** Paths from `diff --git a/P b/P` when no ---/+++ lines follow (binary, mode-only). */
function headerPaths(rest: string): { oldPath: string; newPath: string } | undefined {
  if (rest.startsWith('"')) {
    const m = /^("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*"|\S.*)$/.exec(rest);
    if (!m) return undefined;
    return { oldPath: sidePath(m[1] ?? '', 'a/') ?? '', newPath: sidePath(m[2] ?? '', 'b/') ?? '' };
  }
  // Unquoted and unchanged name: "a/P b/P", so P is half of what remains.
  const half = (rest.length - 1) / 2;
  if (!Number.isInteger(half)) return undefined;
  const a = rest.slice(0, half);
  const b = rest.slice(half + 1);
  if (!a.startsWith('a/') || !b.startsWith('b/')) return undefined;
  return { oldPath: a.slice(2), newPath: b.slice(2) };
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Parse `git diff` output (any context size, renames detected or not). */
export function parseDiff(text: string): DiffFile[] {
  const files: DiffFile[] = [];
  let file: DiffFile | undefined;
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    if (line.startsWith('diff --git ')) {
      const paths = headerPaths(line.slice('diff --git '.length));
      file = {
        oldPath: paths?.oldPath ?? null,
        newPath: paths?.newPath ?? null,
        status: 'modified',
        binary: false,
        added: [],
        removed: [],
      };
      files.push(file);
      inHunk = false;
      continue;
    }
    if (!file) continue;
    const hunk = HUNK.exec(line);
    if (hunk) {
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[3]);
      inHunk = true;
      continue;
    }
    if (inHunk) {
      const mark = line[0];
      if (mark === '+') file.added.push({ line: newLine++, text: line.slice(1) });
      else if (mark === '-') file.removed.push({ line: oldLine++, text: line.slice(1) });
      else if (mark === ' ') {
        oldLine++;
        newLine++;
      }
      // "\ No newline at end of file" and anything else: no line of either side.
      continue;
    }
    if (line.startsWith('new file mode')) file.status = 'added';
    else if (line.startsWith('deleted file mode')) file.status = 'deleted';
    else if (line.startsWith('rename from ')) {
      file.oldPath = unquotePath(line.slice('rename from '.length));
      file.status = 'renamed';
    } else if (line.startsWith('rename to ')) {
      file.newPath = unquotePath(line.slice('rename to '.length));
      file.status = 'renamed';
    } else if (line.startsWith('--- ')) file.oldPath = sidePath(line.slice(4), 'a/');
    else if (line.startsWith('+++ ')) file.newPath = sidePath(line.slice(4), 'b/');
    else if (line.startsWith('Binary files ') || line === 'GIT binary patch') file.binary = true;
  }
  for (const f of files) {
    if (f.status === 'added') f.oldPath = null;
    if (f.status === 'deleted') f.newPath = null;
  }
  return files;
}
