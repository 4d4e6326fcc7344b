/**
 * `str_replace_based_edit_tool`, with exactly the input shape of Anthropic's text editor
 * tool (text_editor_20250728). Every failure is an is_error result telling the model
 * what to do next; nothing here throws to the caller.
 */

import { lstat, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AgentTool, ToolContext, ToolOutcome } from './types.js';
import { defineTool } from './define-tool.js';
import {
  EDIT_DESCRIPTION,
  EDIT_EXPECTED,
  EDIT_TOOL_NAME,
  editInputSchema,
  type EditInput,
} from './edit-schema.js';
import { guardPath } from './path-guard.js';
import { viewDirectory, viewFile } from './edit-view.js';
import { findOccurrences, matchLines, nearMatchHint } from './near-match.js';
import { kindOf, notRegularMessage } from './regular-file.js';
import {
  lineAt,
  numbered,
  readTextFile,
  splitLines,
  toEol,
  writeTextFile,
  type TextFile,
} from './text-file.js';

function ok(content: string, display: string): ToolOutcome {
  return { content, isError: false, display };
}
function fail(content: string, display: string): ToolOutcome {
  return { content, isError: true, display };
}

function snippetAround(text: string, firstLine: number, lastLine: number): string {
  const lines = splitLines(text);
  const from = Math.max(1, firstLine - 3);
  const to = Math.min(lines.length, lastLine + 3);
  return numbered(lines.slice(from - 1, to), from);
}

/** Anything but a directory or a regular file (FIFO, socket, device) is never opened. */
async function loadExisting(
  path: string,
  rel: string,
  command: string,
  ctx: ToolContext,
): Promise<TextFile | ToolOutcome> {
  const info = await lstat(path);
  if (info.isDirectory()) {
    return fail(
      `${rel} is a directory; ${command} works on files. View it to see the files inside.`,
      `${command} ${rel}: directory`,
    );
  }
  const read = await readTextFile(path, rel, { command, maxBytes: ctx.config.max_file_size });
  return read.ok ? read.file : fail(read.message, `${command} ${rel}: refused`);
}

async function strReplace(
  path: string,
  rel: string,
  input: EditInput,
  ctx: ToolContext,
): Promise<ToolOutcome> {
  if (input.old_str === undefined) {
    return fail(
      'str_replace needs old_str: the exact text to replace (copy it from a view of the file).',
      `edit ${rel}: no old_str`,
    );
  }
  if (input.old_str === '') {
    return fail(
      'old_str is empty. To add text use the insert command; to replace the whole file use create.',
      `edit ${rel}: empty old_str`,
    );
  }
  if (input.old_str === input.new_str) {
    return fail(
      'No replacement was performed: old_str and new_str are the same, so the edit would change nothing. Put the changed text in new_str (or omit new_str to delete old_str).',
      `edit ${rel}: no change`,
    );
  }
  const loaded = await loadExisting(path, rel, 'str_replace', ctx);
  if ('isError' in loaded) return loaded;
  const file = loaded;
  let oldStr = toEol(input.old_str, file.eol);
  let newStr = toEol(input.new_str ?? '', file.eol);
  let found = findOccurrences(file.text, oldStr);
  if (found.count === 0 && oldStr !== input.old_str) {
    // Mixed line endings: try the model's text as given.
    found = findOccurrences(file.text, input.old_str);
    if (found.count) {
      oldStr = input.old_str;
      newStr = input.new_str ?? '';
    }
  }
  const { offsets } = found;
  if (found.count === 0) {
    return fail(
      `No replacement was performed: old_str was not found verbatim in ${rel}.\n${nearMatchHint(file.text, input.old_str)}`,
      `edit ${rel}: old_str not found`,
    );
  }
  if (found.count > 1) {
    const lines = matchLines(file.text, offsets);
    const times = found.capped ? `at least ${found.count}` : String(found.count);
    const at =
      lines.length < found.count
        ? `the first ${lines.length} at lines ${lines.join(', ')}`
        : `at lines ${lines.join(', ')}`;
    return fail(
      `No replacement was performed: old_str occurs ${times} times in ${rel} (${at}). It must be unique: add surrounding lines to old_str so that it matches only the one you mean.`,
      `edit ${rel}: ${times} matches`,
    );
  }
  const at = offsets[0] ?? 0;
  const text = file.text.slice(0, at) + newStr + file.text.slice(at + oldStr.length);
  await writeTextFile(path, { ...file, text });
  const first = lineAt(text, at);
  const last = lineAt(text, at + Math.max(0, newStr.length - 1));
  const removed = oldStr.split('\n').length;
  const added = newStr === '' ? 0 : newStr.split('\n').length;
  return ok(
    `The file ${rel} has been edited. Here's the result of running \`cat -n\` on a snippet of ${rel}:\n${snippetAround(text, first, last)}\nReview the changes and make sure they are as expected. Edit the file again if necessary.`,
    `edit ${rel} (+${added} −${removed})`,
  );
}

async function insert(
  path: string,
  rel: string,
  input: EditInput,
  ctx: ToolContext,
): Promise<ToolOutcome> {
  if (input.insert_line === undefined) {
    return fail(
      'insert needs insert_line: the line number after which to insert (0 = at the top).',
      `insert ${rel}: no insert_line`,
    );
  }
  // Claude sends `insert_text` with text_editor_20250728 (the docs once said `new_str`).
  const inserted = input.insert_text ?? input.new_str;
  if (inserted === undefined) {
    return fail('insert needs insert_text: the text to insert.', `insert ${rel}: no insert_text`);
  }
  const loaded = await loadExisting(path, rel, 'insert', ctx);
  if ('isError' in loaded) return loaded;
  const file = loaded;
  const count = splitLines(file.text).length;
  const n = input.insert_line;
  if (n < 0 || n > count) {
    return fail(
      `Invalid insert_line ${n}: it must be between 0 (top of the file) and ${count} (after the last line); ${rel} has ${count} lines.`,
      `insert ${rel}: bad line`,
    );
  }
  // Offset just after line n (0 = start of file).
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const nl = file.text.indexOf('\n', offset);
    offset = nl === -1 ? file.text.length : nl + 1;
  }
  let piece = toEol(inserted, file.eol);
  let before = file.text.slice(0, offset);
  const after = file.text.slice(offset);
  if (before !== '' && !before.endsWith('\n')) before += file.eol;
  if (!piece.endsWith('\n') && (after !== '' || before.endsWith('\n') || file.text === ''))
    piece += file.eol;
  const text = before + piece + after;
  await writeTextFile(path, { ...file, text });
  const added = splitLines(piece).length;
  return ok(
    `The file ${rel} has been edited. Here's the result of running \`cat -n\` on a snippet of the edited file:\n${snippetAround(text, n + 1, n + added)}\nReview the changes and make sure they are as expected (correct indentation, no duplicate lines). Edit the file again if necessary.`,
    `insert ${rel} after line ${n} (+${added})`,
  );
}

async function create(
  path: string,
  rel: string,
  exists: boolean,
  input: EditInput,
  ctx: ToolContext,
): Promise<ToolOutcome> {
  if (input.file_text === undefined) {
    return fail(
      'create needs file_text: the full content of the new file.',
      `create ${rel}: no file_text`,
    );
  }
  let file: TextFile = { text: input.file_text, bom: false, eol: '\n' };
  if (exists) {
    const info = await lstat(path);
    if (info.isDirectory())
      return fail(`${rel} is a directory; give a file path to create.`, `create ${rel}: directory`);
    if (!info.isFile()) {
      // Replacing a FIFO, socket or device is not an edit; the model must remove it itself.
      return fail(notRegularMessage(rel, kindOf(info), 'create'), `create ${rel}: refused`);
    }
    const read = await readTextFile(path, rel, {
      command: 'create',
      maxBytes: ctx.config.max_file_size,
    });
    // An existing text file keeps its BOM and line ending; a non-UTF-8 or too large one is
    // simply replaced.
    if (read.ok) file = { ...read.file, text: toEol(input.file_text, read.file.eol) };
  } else {
    await mkdir(dirname(path), { recursive: true });
  }
  await writeTextFile(path, file);
  const count = splitLines(file.text).length;
  const lines = `${count} line${count === 1 ? '' : 's'}`;
  return ok(
    exists
      ? `File overwritten: ${rel} (${lines}).`
      : `File created successfully at: ${rel} (${lines}).`,
    `${exists ? 'overwrite' : 'create'} ${rel} (${lines})`,
  );
}

async function view(
  path: string,
  rel: string,
  input: EditInput,
  ctx: ToolContext,
): Promise<ToolOutcome> {
  const info = await lstat(path);
  if (info.isDirectory()) {
    if (input.view_range)
      return fail(
        `view_range only applies to files; ${rel} is a directory.`,
        `view ${rel}: range on dir`,
      );
    return viewDirectory(path, rel, ctx.root, ctx.protectedPaths);
  }
  const read = await readTextFile(path, rel, {
    command: 'view',
    maxBytes: ctx.config.max_file_size,
  });
  if (!read.ok) return fail(read.message, `view ${rel}: refused`);
  const [start, end] = input.view_range ?? [];
  const range = start !== undefined && end !== undefined ? ([start, end] as const) : undefined;
  return viewFile(read.file, rel, range, ctx.config.output_limit);
}

async function runEdit(input: EditInput, ctx: ToolContext): Promise<ToolOutcome> {
  const guarded = guardPath(input.path, ctx);
  if (!guarded.ok) return fail(guarded.message, `${input.command} ${input.path}: refused`);
  const { path, rel, exists } = guarded;
  if (!exists && input.command !== 'create') {
    return fail(
      `${rel} does not exist. Check the path (view the parent directory to see what is there), or use the create command to make a new file.`,
      `${input.command} ${rel}: not found`,
    );
  }
  switch (input.command) {
    case 'view':
      return view(path, rel, input, ctx);
    case 'create':
      return create(path, rel, exists, input, ctx);
    case 'str_replace':
      return strReplace(path, rel, input, ctx);
    case 'insert':
      return insert(path, rel, input, ctx);
  }
}

export function createEditTool(): AgentTool {
  return defineTool({
    name: EDIT_TOOL_NAME,
    label: 'edit',
    description: EDIT_DESCRIPTION,
    schema: editInputSchema,
    anthropic: { type: 'text_editor_20250728', name: EDIT_TOOL_NAME },
    expected: EDIT_EXPECTED,
    onFailure: 'Check the path and try again.',
    summarize: ({ command, path }) =>
      command === 'view' ? `view ${path}` : `edit ${path} (${command})`,
    execute: runEdit,
  });
}

export { EDIT_TOOL_NAME };
