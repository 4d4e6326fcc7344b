import { toolCallText } from '../../src/ui/tui/tool-names.js';
import { describe, expect, it } from 'vitest';
import {
  fitCell,
  fitWidths,
  stripAnsi,
  table,
  terminalWidth,
  visibleLength,
} from '../../src/ui/table.js';

describe('table', () => {
  const rows = [
    ['add-retry', 'Retry failed HTTP requests with backoff', 'ready', '3'],
    ['docs', 'Document the API', 'done', '12'],
  ];

  it('aligns columns by visible width, ignoring colors', () => {
    const out = table(
      [
        ['\x1b[31mred\x1b[39m', 'x'],
        ['long-cell', 'y'],
      ],
      { maxWidth: Infinity },
    );
    expect(out.split('\n').map((l) => stripAnsi(l))).toEqual(['red        x', 'long-cell  y']);
  });

  it('right-aligns chosen columns and keeps a header', () => {
    const out = table(rows, {
      header: ['ID', 'TITLE', 'STATUS', 'N'],
      align: ['left', 'left', 'left', 'right'],
      maxWidth: Infinity,
    });
    expect(out.split('\n')).toEqual([
      'ID         TITLE                                    STATUS   N',
      'add-retry  Retry failed HTTP requests with backoff  ready    3',
      'docs       Document the API                         done    12',
    ]);
  });

  it('fits the width by shrinking the widest column with an ellipsis', () => {
    const out = table(rows, { maxWidth: 40 });
    const lines = out.split('\n');
    for (const l of lines) expect(visibleLength(l)).toBeLessThanOrEqual(40);
    expect(lines[0]).toBe('add-retry  Retry failed HTTP…  ready  3');
    expect(lines[1]).toBe('docs       Document the API    done   12');
  });

  it('never cuts in a pipe (no terminal width)', () => {
    expect(terminalWidth({ isTTY: false, columns: 20 })).toBe(Infinity);
    expect(terminalWidth({ isTTY: true, columns: 20 })).toBe(20);
  });

  it('keeps chosen columns whole', () => {
    expect(fitWidths([30, 30], 2, 40, [0])).toEqual([30, 8]);
    expect(fitCell('abcdef', 4)).toBe('abc…');
    expect(fitCell('\x1b[1mabcdef\x1b[22m', 10)).toBe('\x1b[1mabcdef\x1b[22m');
  });
});

describe('toolCallText', () => {
  it('shows self-describing summaries and displays as they are', () => {
    expect(toolCallText('bash', 'bash: npm test')).toBe('bash: npm test');
    expect(toolCallText('bash', 'bash: npm test', 'bash: npm test → exit 0')).toBe(
      'bash: npm test → exit 0',
    );
    expect(
      toolCallText(
        'str_replace_based_edit_tool',
        'edit src/a.js (str_replace)',
        'edit src/a.js (+1 −1)',
      ),
    ).toBe('edit src/a.js (+1 −1)');
  });
  it('adds the short tool name and an arrow otherwise', () => {
    expect(toolCallText('str_replace_based_edit_tool', 'view src/a.js', '24 lines')).toBe(
      'edit view src/a.js → 24 lines',
    );
    expect(toolCallText('bash', '', 'exit 1')).toBe('bash → exit 1');
  });
});
