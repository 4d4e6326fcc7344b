import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo, tempDir, writeTree } from '../support/tmp.js';
import { edit, toolsFor } from './helpers.js';

const read = (root: string, rel: string): string => readFileSync(join(root, rel), 'utf8');

describe('str_replace_based_edit_tool view', () => {
  it('shows a file with cat -n line numbers and a view_range', async () => {
    const root = tempDir();
    writeTree(root, { 'a.txt': 'one\ntwo\nthree\nfour\n' });
    const set = toolsFor(root);
    const all = await edit(set, { command: 'view', path: 'a.txt' });
    expect(all.isError).toBe(false);
    expect(all.content).toContain('     1\tone\n     2\ttwo\n     3\tthree\n     4\tfour');
    const part = await edit(set, { command: 'view', path: 'a.txt', view_range: [2, 3] });
    expect(part.content).toContain('     2\ttwo\n     3\tthree');
    expect(part.content).not.toContain('\tone');
    const toEnd = await edit(set, {
      command: 'view',
      path: join(root, 'a.txt'),
      view_range: [3, -1],
    });
    expect(toEnd.content).toContain('     4\tfour');
    const bad = await edit(set, { command: 'view', path: 'a.txt', view_range: [9, 10] });
    expect(bad.isError).toBe(true);
    expect(bad.content).toMatch(/between 1 and 4/);
  });

  it('cuts a big file and says how to see the rest', async () => {
    const root = tempDir();
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i + 1}`).join('\n');
    writeTree(root, { 'big.txt': lines });
    const out = await edit(toolsFor(root), { command: 'view', path: 'big.txt' });
    expect(out.isError).toBe(false);
    expect(out.content).toMatch(/Showing lines 1-\d+ of 5000/);
    expect(out.content).toMatch(/view_range \[\d+, \d+\]/);
    expect(out.content).not.toContain('line 5000');
  });

  it('lists a directory two levels deep without .git and ignored files', async () => {
    const root = gitRepo({
      '.gitignore': 'node_modules/\n*.log\n',
      'src/a.ts': 'x',
      'src/deep/b.ts': 'y',
      'src/deep/deeper/c.ts': 'z',
      'README.md': 'r',
    });
    writeTree(root, {
      'node_modules/pkg/index.js': '',
      'debug.log': '',
      '.mmm/runs/x/state.json': '{}',
    });
    const out = await edit(toolsFor(root), { command: 'view', path: '.' });
    expect(out.isError).toBe(false);
    const listed = out.content.split('\n').slice(1);
    expect(listed).toEqual(['.gitignore', 'README.md', 'src/', 'src/a.ts', 'src/deep/']);
  });

  it('refuses binary and non-UTF-8 files with a note', async () => {
    const root = tempDir();
    writeTree(root, {
      'img.bin': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
      'latin1.txt': Buffer.from('caf\xe9\n', 'latin1'),
    });
    const set = toolsFor(root);
    const bin = await edit(set, { command: 'view', path: 'img.bin' });
    expect(bin.isError).toBe(true);
    expect(bin.content).toMatch(/binary file .*bash/);
    const latin = await edit(set, {
      command: 'str_replace',
      path: 'latin1.txt',
      old_str: 'caf',
      new_str: 'x',
    });
    expect(latin.isError).toBe(true);
    expect(latin.content).toMatch(/not valid UTF-8 .*offset 3, line 1.*iconv/);
  });
});

describe('str_replace_based_edit_tool create / str_replace / insert', () => {
  it('creates a file with its parent directories, and overwrites', async () => {
    const root = tempDir();
    const set = toolsFor(root);
    const out = await edit(set, {
      command: 'create',
      path: 'new/dir/f.ts',
      file_text: 'export {};\n',
    });
    expect(out.isError).toBe(false);
    expect(out.display).toBe('create new/dir/f.ts (1 line)');
    expect(read(root, 'new/dir/f.ts')).toBe('export {};\n');
    const again = await edit(set, { command: 'create', path: 'new/dir/f.ts', file_text: 'x\n' });
    expect(again.content).toMatch(/overwritten/);
    expect(read(root, 'new/dir/f.ts')).toBe('x\n');
  });

  it('replaces exactly one match and shows a snippet', async () => {
    const root = tempDir();
    writeTree(root, { 'a.ts': 'const a = 1;\nconst b = 2;\n' });
    const out = await edit(toolsFor(root), {
      command: 'str_replace',
      path: 'a.ts',
      old_str: 'const b = 2;',
      new_str: 'const b = 3;\nconst c = 4;',
    });
    expect(out.isError).toBe(false);
    expect(read(root, 'a.ts')).toBe('const a = 1;\nconst b = 3;\nconst c = 4;\n');
    expect(out.content).toContain('     3\tconst c = 4;');
  });

  it('refuses ambiguous matches, naming the count and lines', async () => {
    const root = tempDir();
    writeTree(root, { 'a.ts': 'x = 1\ny = 2\nx = 1\n' });
    const out = await edit(toolsFor(root), {
      command: 'str_replace',
      path: 'a.ts',
      old_str: 'x = 1',
      new_str: 'z',
    });
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/occurs 2 times .*lines 1, 3/);
    expect(read(root, 'a.ts')).toBe('x = 1\ny = 2\nx = 1\n');
  });

  it('refuses an edit whose new_str equals old_str: it would change nothing', async () => {
    const root = tempDir();
    writeTree(root, { 'a.ts': 'const a = 1;\n' });
    const out = await edit(toolsFor(root), {
      command: 'str_replace',
      path: 'a.ts',
      old_str: 'const a = 1;',
      new_str: 'const a = 1;',
    });
    expect(out).toMatchObject({ isError: true, display: 'edit a.ts: no change' });
    expect(out.content).toMatch(
      /old_str and new_str are the same.*Put the changed text in new_str/,
    );
    expect(read(root, 'a.ts')).toBe('const a = 1;\n');
  });

  it('on zero matches points at a whitespace-different or similar near-match', async () => {
    const root = tempDir();
    writeTree(root, {
      'a.py': 'def f():\n    return 1\n\n\ndef g(x):\n    total = x + 1\n    return total\n',
    });
    const set = toolsFor(root);
    const ws = await edit(set, {
      command: 'str_replace',
      path: 'a.py',
      old_str: 'def g(x):\n  total = x + 1',
      new_str: '',
    });
    expect(ws.isError).toBe(true);
    expect(ws.content).toMatch(/lines 5-6 with different whitespace/);
    expect(ws.content).toContain('     6\t    total = x + 1');
    const similar = await edit(set, {
      command: 'str_replace',
      path: 'a.py',
      old_str: '    totl = x + 2',
      new_str: '',
    });
    expect(similar.content).toMatch(/most similar text is at line 6/);
    const none = await edit(set, {
      command: 'str_replace',
      path: 'a.py',
      old_str: 'zzzzqqqq',
      new_str: '',
    });
    expect(none.content).toMatch(/No similar text was found/);
  });

  it('finds the near-match in a big file too', async () => {
    const root = tempDir();
    const lines = Array.from(
      { length: 3000 },
      (_, i) => `  const v${i} = compute(${i}, 'text', opts);`,
    );
    writeTree(root, { 'big.ts': lines.join('\n') + '\n' });
    const needle = lines
      .slice(2000, 2020)
      .map((l) => l.replace('compute', 'computr'))
      .join('\n');
    const out = await edit(toolsFor(root), {
      command: 'str_replace',
      path: 'big.ts',
      old_str: needle,
      new_str: '',
    });
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/most similar text is at lines 2001-2020/);
  });

  it('inserts after a line, at the top and at the end of a file without final newline', async () => {
    const root = tempDir();
    writeTree(root, { 'a.txt': 'one\ntwo' });
    const set = toolsFor(root);
    expect(
      (
        await edit(set, {
          command: 'insert',
          path: 'a.txt',
          insert_line: 1,
          new_str: 'one-and-a-half',
        })
      ).isError,
    ).toBe(false);
    expect(read(root, 'a.txt')).toBe('one\none-and-a-half\ntwo');
    // Claude sends insert_text with text_editor_20250728; new_str is accepted too.
    await edit(set, { command: 'insert', path: 'a.txt', insert_line: 0, insert_text: 'zero\n' });
    await edit(set, { command: 'insert', path: 'a.txt', insert_line: 4, new_str: 'three' });
    expect(read(root, 'a.txt')).toBe('zero\none\none-and-a-half\ntwo\nthree\n');
    const bad = await edit(set, {
      command: 'insert',
      path: 'a.txt',
      insert_line: 99,
      new_str: 'x',
    });
    expect(bad.isError).toBe(true);
    expect(bad.content).toMatch(/between 0 .* and 5/);
    const missing = await edit(set, { command: 'insert', path: 'a.txt', insert_line: 1 });
    expect(missing).toMatchObject({ isError: true });
    expect(missing.content).toContain('insert needs insert_text');
    expect(read(root, 'a.txt')).toBe('zero\none\none-and-a-half\ntwo\nthree\n');
  });

  it('keeps CRLF line endings and a UTF-8 BOM', async () => {
    const root = tempDir();
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    writeTree(root, {
      'w.cs': Buffer.concat([bom, Buffer.from('class A {\r\n  int x;\r\n}\r\n')]),
    });
    const set = toolsFor(root);
    const out = await edit(set, {
      command: 'str_replace',
      path: 'w.cs',
      old_str: 'class A {\n  int x;',
      new_str: 'class A {\n  int x;\n  int y;',
    });
    expect(out.isError).toBe(false);
    await edit(set, { command: 'insert', path: 'w.cs', insert_line: 0, new_str: '// header' });
    const bytes = readFileSync(join(root, 'w.cs'));
    expect(bytes.subarray(0, 3).equals(bom)).toBe(true);
    expect(bytes.subarray(3).toString('utf8')).toBe(
      '// header\r\nclass A {\r\n  int x;\r\n  int y;\r\n}\r\n',
    );
    const view = await edit(set, { command: 'view', path: 'w.cs' });
    expect(view.content).toContain('     1\t// header\n');
    expect(view.content).not.toContain('\r');
  });
});

describe('str_replace_based_edit_tool bad input', () => {
  it('answers missing fields and wrong types with an error result naming the field', async () => {
    const root = tempDir();
    writeTree(root, { 'a.txt': 'a\n' });
    const set = toolsFor(root);
    const cases: [unknown, RegExp][] = [
      [{ path: 'a.txt' }, /command: .*it is missing/],
      [{ command: 'delete', path: 'a.txt' }, /command: /],
      [{ command: 'view', path: 42 }, /path: .*got 42/],
      [{ command: 'view', path: 'a.txt', view_range: '1-5' }, /view_range/],
      [{ command: 'view', path: 'a.txt', view_range: [1, 'x'] }, /view_range\.1: .*got "x"/],
      [{ command: 'view', path: 'a.txt', view_range: [1] }, /view_range: .*got \[1\]/],
      [{ command: 'insert', path: 'a.txt', insert_line: -1, new_str: 'x' }, /between 0 .* and 1/],
      [{ command: 'insert', path: 'a.txt', insert_line: 'top', new_str: 'x' }, /insert_line/],
      [{ command: 'str_replace', path: 'a.txt' }, /needs old_str/],
      [{ command: 'create', path: 'b.txt' }, /needs file_text/],
      [{ command: 'insert', path: 'a.txt', new_str: 'x' }, /needs insert_line/],
      [{ command: 'str_replace', path: 'missing.txt', old_str: 'a' }, /does not exist.*create/],
      [null, /^Invalid input for str_replace_based_edit_tool:\n- input: .*\(got null\)\nExpected/],
    ];
    for (const [input, message] of cases) {
      const out = await edit(set, input);
      expect(out.isError, JSON.stringify(input)).toBe(true);
      expect(out.content, JSON.stringify(input)).toMatch(message);
    }
    expect(read(root, 'a.txt')).toBe('a\n');
  });
});
