import { describe, expect, it } from 'vitest';
import { runTool, toolDeclarations } from '../../src/core/tools/index.js';
import { HeadTailBuffer } from '../../src/core/tools/output-buffer.js';
import type { AgentTool } from '../../src/core/tools/types.js';
import { tempDir } from '../support/tmp.js';
import { toolsFor } from './helpers.js';

describe('tool registry', () => {
  it('declares Anthropic typed tools or equivalent JSON-schema tools', () => {
    const { tools } = toolsFor(tempDir());
    expect(toolDeclarations(tools, 'anthropic')).toEqual([
      { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' },
      { type: 'bash_20250124', name: 'bash' },
      // mmm's own tool has no Anthropic-defined type: a JSON-schema tool everywhere.
      expect.objectContaining({ name: 'report_evidence', input_schema: expect.any(Object) }),
    ]);
    const custom = toolDeclarations(tools, 'custom');
    expect(custom.map((d) => d.name)).toEqual([
      'str_replace_based_edit_tool',
      'bash',
      'report_evidence',
    ]);
    const editor = custom[0];
    expect(editor && 'input_schema' in editor && editor.input_schema.required).toEqual([
      'command',
      'path',
    ]);
    expect(
      editor && 'input_schema' in editor && Object.keys(editor.input_schema.properties),
    ).toEqual([
      'command',
      'path',
      'view_range',
      'file_text',
      'old_str',
      'new_str',
      'insert_line',
      'insert_text',
    ]);
  });

  it('turns an unknown tool name or a thrown exception into an error outcome', async () => {
    const set = toolsFor(tempDir());
    const unknown = await runTool(set.tools, 'computer', {}, set.context);
    expect(unknown).toMatchObject({
      isError: true,
      content: expect.stringMatching(/Unknown tool "computer".*bash/),
    });
    const throwing: AgentTool = {
      ...set.tools[1]!,
      name: 'boom',
      run: () => Promise.reject(new Error('kaput')),
    };
    const thrown = await runTool([throwing], 'boom', {}, set.context);
    expect(thrown).toMatchObject({ isError: true, content: expect.stringMatching(/kaput/) });
  });

  it('summarizes calls in one line for the UI', () => {
    const { tools } = toolsFor(tempDir());
    const [editor, shell] = tools;
    expect(editor?.summarize({ command: 'str_replace', path: 'src/a.ts', old_str: 'x' })).toBe(
      'edit src/a.ts (str_replace)',
    );
    expect(editor?.summarize({ command: 'view', path: 'src' })).toBe('view src');
    expect(shell?.summarize({ command: 'npm test\nnpm run lint' })).toBe('bash: npm test …');
    expect(shell?.summarize({ restart: true })).toBe('bash: restart');
  });
});

describe('HeadTailBuffer', () => {
  it('keeps everything under the limit and head+tail above it, across split UTF-8', () => {
    const small = new HeadTailBuffer(10);
    small.write('hello');
    expect(small.text()).toBe('hello');
    const big = new HeadTailBuffer(10);
    const euro = Buffer.from('€'); // 3 bytes, split across writes
    big.write('abcde');
    big.write(euro.subarray(0, 1));
    big.write(euro.subarray(1));
    for (let i = 0; i < 100; i++) big.write('x');
    big.write('VWXYZ');
    expect(big.text()).toMatch(
      /^abcde\n\n\[\.\.\. 103 bytes of output cut \(total 113 bytes\).*\]\n\nVWXYZ$/s,
    );
  });
});
