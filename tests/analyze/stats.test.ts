import { describe, expect, it } from 'vitest';
import { computeStats } from '../../src/core/analyze/stats.js';
import { tempDir, writeTree, type FileTree } from '../support/tmp.js';

/** computeStats over a real directory, files in the given order. */
function stats(tree: FileTree) {
  const root = writeTree(tempDir(), tree);
  return computeStats(root, Object.keys(tree));
}

function linesOf(s: ReturnType<typeof computeStats>, language: string): number | undefined {
  return s.languages.find((l) => l.name === language)?.lines;
}

describe('file statistics', () => {
  it('counts TODO, FIXME and HACK as whole words only', () => {
    const s = stats({
      'a.ts': 'a TODO b\nFIXME:x\nTODOS HACK_ no\n_TODO (HACK)\nxTODO 9FIXME\nTODO',
    });
    // TODO, FIXME, (HACK) and the TODO that ends the file; not TODOS, HACK_, _TODO,
    // xTODO or 9FIXME.
    expect(s.todos).toBe(4);
    expect(linesOf(s, 'TypeScript')).toBe(6);
  });

  it('never matches a marker in bytes left over from a longer file read before', () => {
    const s = stats({ 'long.ts': 'ab TODO\n', 'short.ts': 'ab TO' });
    expect(s.todos).toBe(1);
    expect(linesOf(s, 'TypeScript')).toBe(2);
  });

  it('counts lines across read chunks, at and past the chunk size', () => {
    const chunk = 256 * 1024;
    const s = stats({
      'exact.py': 'x\n'.repeat(chunk / 2), // exactly one chunk: a second read sees the end
      'over.py': `${'y\n'.repeat(chunk / 2)}# TODO\nz`, // past it, last line without newline
      'empty.py': '',
    });
    expect(linesOf(s, 'Python')).toBe(chunk / 2 + chunk / 2 + 2);
    expect(s.languages.find((l) => l.name === 'Python')?.files).toBe(3);
    expect(s.todos).toBe(1);
    expect(s.largestFiles[0]).toEqual({ path: 'over.py', lines: chunk / 2 + 2, bytes: chunk + 8 });
  });

  it('a NUL in the first 8 KB makes a file binary; one after it does not', () => {
    const early = Buffer.from('a\nb\n\0c\n');
    const late = Buffer.concat([Buffer.from('a\n'.repeat(5000)), Buffer.from([0, 10])]);
    const s = stats({ 'early.js': early, 'late.js': late, 'crlf.js': 'x\r\ny' });
    expect(s.binaryFiles).toBe(1);
    expect(s.languages).toEqual([{ name: 'JavaScript', files: 2, lines: 5001 + 2, share: 1 }]);
  });

  it('languages by file name and by extension, whatever its case', () => {
    const s = stats({
      Makefile: 'all:\n',
      'CMakeLists.txt': 'project(x)\n',
      'lib/CMakeLists.txt': 'add_library(x)\n',
      'MyCMakeLists.txt': 'not cmake\n',
      'cmake/deps.CMAKE': 'find_package(y)\n',
      'src/MAIN.PY': 'print(1)\n',
      'notes.txt': 'hi\n',
      '.bashrc': 'alias x=y\n',
      'odd.constructor': 'x\n',
      'odd.toString': 'x\n',
    });
    expect(s.languages.map((l) => [l.name, l.files]).sort()).toEqual([
      ['CMake', 3],
      ['Makefile', 1],
      ['Python', 1],
      ['Text', 2],
    ]);
    expect(s.primaryLanguage).toBe('Python');
  });
});
