import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadSpecs } from '../../src/core/specs/load.js';
import { formatProblem } from '../../src/core/specs/model.js';
import { parseSpec } from '../../src/core/specs/parse.js';
import { tempDir, writeTree } from '../support/tmp.js';

const errorsOf = (file: string, bytes: Uint8Array) =>
  parseSpec(file, bytes)
    .problems.filter((p) => p.severity === 'error')
    .map(formatProblem);

describe('files an editor saved wrongly are named for what they are', () => {
  it('CR-only line endings', () => {
    expect(errorsOf('specs/a.md', Buffer.from('# Title\r\r## Objective\rX\r'))).toEqual([
      'specs/a.md:1:8: file has CR-only line endings (classic Mac OS): save it with LF or CRLF line endings',
    ]);
  });
  it('NUL bytes', () => {
    expect(errorsOf('specs/a.md', Buffer.from('# Title\n\u0000\u0000\n'))).toEqual([
      'specs/a.md:2:1: file contains NUL bytes (the first is here), so it is binary, not markdown: replace it with a text file',
    ]);
  });
  it('UTF-16 with and without a byte-order mark', () => {
    const le = Buffer.from('\uFEFF# Title\n\n## Objective\n', 'utf16le');
    expect(errorsOf('specs/a.md', le)).toEqual([
      'specs/a.md:1:1: file is UTF-16 (little-endian), not UTF-8: save it with UTF-8 encoding',
    ]);
    const bare = Buffer.from('# Title\n\n## Objective\n', 'utf16le');
    expect(errorsOf('specs/a.md', bare)[0]).toContain('file is UTF-16 (little-endian)');
  });
});

describe('ids in any script', () => {
  it('keeps non-ASCII file names apart and accepts id: émoji', () => {
    const a = parseSpec('specs/规格.md', Buffer.from('# 规格\n'));
    const b = parseSpec('specs/仕様.md', Buffer.from('# 仕様\n'));
    expect([a.spec?.id, b.spec?.id]).toEqual(['规格', '仕様']);
    const c = parseSpec('specs/x.md', Buffer.from('---\nid: émoji\n---\n# X\n'));
    expect(c.problems).toEqual([]);
    expect(c.spec?.id).toBe('émoji');
  });
  it('reads a letter sub-spec number and the predecessor’s extra keys silently', () => {
    const r = parseSpec(
      'specs/102A-extraction.md',
      Buffer.from(
        '---\nnumber: 102A\ntitle: X\nstatus: draft\ncreated: 2025-09-23\nestimated_effort: large\n---\n',
      ),
    );
    expect(r.problems).toEqual([]);
    expect(r.spec).toMatchObject({ id: 'extraction', number: 102, numberSuffix: 'a' });
  });
});

describe('size limit', () => {
  it('warns past specs.max_size and cuts what the model reads, naming the file', () => {
    const big = `# Big\n\n${'word '.repeat(4000)}\n`;
    const r = parseSpec('specs/big.md', Buffer.from(big), { maxSize: 4096 });
    expect(r.problems.map(formatProblem)).toEqual([
      'specs/big.md:1:1: warning: spec is 20 KB, over specs.max_size (4 KB): the model reads the first 4 KB and is pointed at the file for the rest; split it into smaller specs or raise specs.max_size',
    ]);
    expect(r.spec?.body.length).toBeLessThan(4400);
    expect(r.spec?.body).toContain('Read the rest in specs/big.md');
  });
});

describe('one pass over field and graph problems', () => {
  it('reports a dependency problem of a file that also has a field error', async () => {
    const root = writeTree(tempDir(), {
      'specs/01-a.md': '---\ntitle: A\npriority: urgent\ndepends_on: [nowhere]\n---\n',
      'specs/02-b.md': '---\ntitle: B\ndepends_on: [b2]\n---\n',
      'specs/README.md': '# Index\n',
      'specs/_draft.md': 'not a spec',
    });
    const { problems, specs } = await loadSpecs(root, join(root, 'specs'));
    expect(problems.map(formatProblem)).toEqual([
      'specs/01-a.md:3:11: priority must be one of critical, high, medium, low (got "urgent")',
      'specs/01-a.md:4:14: depends on unknown spec "nowhere"',
      'specs/02-b.md:3:14: depends on unknown spec "b2"',
    ]);
    expect(specs.map((s) => s.id)).toEqual(['b']);
  });
});
