import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineTool, inputSchemaOf } from '../../src/core/tools/define-tool.js';
import type { ToolContext } from '../../src/core/tools/types.js';
import { tempDir } from '../support/tmp.js';
import { toolsFor } from './helpers.js';

/** A small real tool: repeats a word; `times` 0 throws, to reach the catch. */
function repeatTool() {
  const calls: unknown[] = [];
  const tool = defineTool({
    name: 'repeat_word',
    label: 'repeat',
    description: 'Repeats a word.',
    schema: z.object({
      word: z.string().min(1).describe('The word.'),
      times: z.number().int().describe('How often.'),
      options: z.object({ separator: z.string() }).optional().describe('How to join.'),
    }),
    expected: 'Expected { "word": "<word>", "times": <integer> }.',
    onFailure: 'Send a positive times.',
    summarize: ({ word, times }) => `repeat ${word} ×${times}`,
    execute(input) {
      calls.push(input);
      if (input.times === 0) throw new Error('nothing to repeat');
      const text = Array(input.times)
        .fill(input.word)
        .join(input.options?.separator ?? ' ');
      return Promise.resolve({ content: text, isError: false, display: 'repeat: ok' });
    },
  });
  return { tool, calls };
}

function context(): ToolContext {
  return toolsFor(tempDir()).context;
}

describe('defineTool', () => {
  it('runs execute with the parsed input and summarizes it', async () => {
    const { tool, calls } = repeatTool();
    const out = await tool.run({ word: 'hi', times: 2, extra: true }, context());
    expect(out).toEqual({ content: 'hi hi', isError: false, display: 'repeat: ok' });
    expect(calls).toEqual([{ word: 'hi', times: 2 }]);
    expect(tool.summarize({ word: 'hi', times: 2 })).toBe('repeat hi ×2');
    expect(tool.summarize({ word: 42 })).toBe('repeat (invalid input)');
  });

  it('answers invalid input with every field, what was sent and a valid call, never executing', async () => {
    const { tool, calls } = repeatTool();
    const out = await tool.run({ word: '', times: 1.5, options: { separator: 3 } }, context());
    expect(out.isError).toBe(true);
    expect(out.display).toBe('repeat: invalid input');
    expect(out.content).toBe(
      [
        'Invalid input for repeat_word:',
        '- word: Too small: expected string to have >=1 characters (got "")',
        '- times: Invalid input: expected int, received number (got 1.5)',
        '- options.separator: Invalid input: expected string, received number (got 3)',
        'Expected { "word": "<word>", "times": <integer> }.',
      ].join('\n'),
    );
    const missing = await tool.run({ word: 'hi' }, context());
    expect(missing.content).toContain(
      '- times: Invalid input: expected number, received undefined (it is missing)',
    );
    const notAnObject = await tool.run('hi', context());
    expect(notAnObject.content).toContain(
      '- input: Invalid input: expected object, received string (got "hi")',
    );
    expect(calls).toEqual([]);
  });

  it('turns a throw into an error result with the hint', async () => {
    const { tool } = repeatTool();
    const out = await tool.run({ word: 'hi', times: 0 }, context());
    expect(out).toEqual({
      content: 'The repeat_word call failed: nothing to repeat. Send a positive times.',
      isError: true,
      display: 'repeat: failed',
    });
  });

  it('declares the JSON schema derived from zod, the same for every server without a typed tool', () => {
    const { tool } = repeatTool();
    expect(tool.declaration.custom).toEqual({
      name: 'repeat_word',
      description: 'Repeats a word.',
      input_schema: {
        type: 'object',
        properties: {
          word: { type: 'string', minLength: 1, description: 'The word.' },
          times: { type: 'integer', description: 'How often.' },
          options: {
            type: 'object',
            properties: { separator: { type: 'string' } },
            required: ['separator'],
            description: 'How to join.',
          },
        },
        required: ['word', 'times'],
      },
    });
    expect(tool.declaration.anthropic).toBe(tool.declaration.custom);
  });
});

describe('inputSchemaOf', () => {
  it('declares the type a lenient preprocess leads to, and no empty required list', () => {
    const lenient = z.preprocess((v) => (typeof v === 'string' ? Number(v) : v), z.number());
    expect(inputSchemaOf(z.object({ n: lenient.optional() }))).toEqual({
      type: 'object',
      properties: { n: { type: 'number' } },
    });
  });

  it('refuses a schema the Messages API would not take whole', () => {
    expect(() => inputSchemaOf(z.object({ a: z.string() }).catchall(z.number()))).toThrow(
      /plain object schema.*additionalProperties/,
    );
  });
});
