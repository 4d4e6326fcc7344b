import { z } from 'zod';

/** Input schema and description of `str_replace_based_edit_tool`. */
export const EDIT_TOOL_NAME = 'str_replace_based_edit_tool';

/** An integer; a string of digits ("12") is taken as its number, as models sometimes send. */
const intLike = (n: z.ZodNumber) =>
  z.preprocess((v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v), n);

/**
 * The one definition of the input: validation, and (through defineTool) the JSON schema
 * declared to servers without Anthropic's typed tools. Plain JSON-schema features only
 * (an array of two integers, not a tuple's prefixItems), so that servers with basic
 * JSON-schema support accept it. Property order is the declaration's order.
 */
export const editInputSchema = z.object({
  command: z
    .enum(['view', 'create', 'str_replace', 'insert'])
    .describe('The operation to perform.'),
  path: z
    .string()
    .describe('File or directory, relative to the project root (or absolute inside it).'),
  view_range: z
    .array(intLike(z.number().int()))
    .length(2)
    .optional()
    .describe('view only: [start, end] 1-based line numbers; end -1 means end of file.'),
  file_text: z.string().optional().describe('create only: the full content of the file.'),
  old_str: z
    .string()
    .optional()
    .describe('str_replace only: the exact text to replace; must occur exactly once.'),
  // insert also takes new_str for insert_text (Anthropic's docs once said new_str).
  new_str: z
    .string()
    .optional()
    .describe('str_replace only: the replacement (omit to delete old_str).'),
  // minimum 0 is declared, not validated: the tool's own range check also gives the
  // file's line count.
  insert_line: intLike(z.number().int()).optional().meta({
    minimum: 0,
    description: 'insert only: insert after this line (0 = at the top of the file).',
  }),
  insert_text: z.string().optional().describe('insert only: the text to insert.'),
});

export type EditInput = z.output<typeof editInputSchema>;

export const EDIT_EXPECTED =
  'Expected { command: "view" | "create" | "str_replace" | "insert", path: string, ... } — view_range is [start, end] of integers, insert_line an integer.';

export const EDIT_DESCRIPTION = `View, create and edit text files in the project.
- view: a file with line numbers (cat -n), optionally only view_range [start, end] (end -1 = end of file); big files are cut with a note. A directory is listed two levels deep, without git-ignored files.
- create: write file_text to path (parents are created; an existing file is overwritten).
- str_replace: replace old_str with new_str. old_str must match the file exactly (whitespace and indentation included) and occur exactly once; include enough surrounding lines to make it unique.
- insert: insert insert_text after line insert_line (0 = at the top).
Paths are relative to the project root (or absolute inside it). .git and mmm's run data are off limits. Line endings and a UTF-8 BOM of existing files are kept.`;
