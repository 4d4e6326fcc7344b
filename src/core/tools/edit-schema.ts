import { z } from 'zod';
import type { CustomToolDeclaration } from './types.js';

/** Input schema, description and declarations of `str_replace_based_edit_tool`. */
export const EDIT_TOOL_NAME = 'str_replace_based_edit_tool';

const intLike = z.preprocess(
  (v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v),
  z.number().int(),
);

export const editInputSchema = z.object({
  command: z
    .enum(['view', 'create', 'str_replace', 'insert'])
    .describe('view | create | str_replace | insert'),
  path: z
    .string()
    .describe('File or directory, relative to the project root or absolute inside it'),
  view_range: z
    .tuple([intLike, intLike])
    .optional()
    .describe('view only: [start, end] 1-based line numbers, end -1 for end of file'),
  file_text: z.string().optional().describe('create only: the full content of the file'),
  old_str: z
    .string()
    .optional()
    .describe('str_replace only: exact text to replace, must occur exactly once'),
  new_str: z
    .string()
    .optional()
    .describe('str_replace: replacement text (omit to delete); insert: accepted for insert_text'),
  insert_text: z
    .string()
    .optional()
    .describe('insert only: the text to insert (Claude sends this with text_editor_20250728)'),
  insert_line: intLike
    .optional()
    .describe('insert only: insert after this line number (0 inserts at the top)'),
});

export type EditInput = z.infer<typeof editInputSchema>;

export const EDIT_DESCRIPTION = `View, create and edit text files in the project.
- view: a file with line numbers (cat -n), optionally only view_range [start, end] (end -1 = end of file); big files are cut with a note. A directory is listed two levels deep, without git-ignored files.
- create: write file_text to path (parents are created; an existing file is overwritten).
- str_replace: replace old_str with new_str. old_str must match the file exactly (whitespace and indentation included) and occur exactly once; include enough surrounding lines to make it unique.
- insert: insert insert_text after line insert_line (0 = at the top).
Paths are relative to the project root (or absolute inside it). .git and mmm's run data are off limits. Line endings and a UTF-8 BOM of existing files are kept.`;

export function describeInputError(error: z.ZodError, input: unknown): string {
  const lines = error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.join('.') : 'input';
    const got =
      input && typeof input === 'object' && issue.path.length
        ? (input as Record<string, unknown>)[String(issue.path[0])]
        : input;
    const gotText =
      got === undefined ? 'it is missing' : `got ${JSON.stringify(got)?.slice(0, 80)}`;
    return `- ${field}: ${issue.message} (${gotText})`;
  });
  return `Invalid input for ${EDIT_TOOL_NAME}:\n${lines.join('\n')}\nExpected { command: "view" | "create" | "str_replace" | "insert", path: string, ... } — view_range is [start, end] of integers, insert_line an integer.`;
}

export /** Hand-written so that servers with basic JSON-schema support (no prefixItems) accept it. */
const EDIT_CUSTOM_SCHEMA: CustomToolDeclaration['input_schema'] = {
  type: 'object',
  properties: {
    command: {
      type: 'string',
      enum: ['view', 'create', 'str_replace', 'insert'],
      description: 'The operation to perform.',
    },
    path: {
      type: 'string',
      description: 'File or directory, relative to the project root (or absolute inside it).',
    },
    view_range: {
      type: 'array',
      items: { type: 'integer' },
      minItems: 2,
      maxItems: 2,
      description: 'view only: [start, end] 1-based line numbers; end -1 means end of file.',
    },
    file_text: { type: 'string', description: 'create only: the full content of the file.' },
    old_str: {
      type: 'string',
      description: 'str_replace only: the exact text to replace; must occur exactly once.',
    },
    new_str: {
      type: 'string',
      description: 'str_replace only: the replacement (omit to delete old_str).',
    },
    insert_line: {
      type: 'integer',
      minimum: 0,
      description: 'insert only: insert after this line (0 = at the top of the file).',
    },
    insert_text: {
      type: 'string',
      description: 'insert only: the text to insert.',
    },
  },
  required: ['command', 'path'],
};
