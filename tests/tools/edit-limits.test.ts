import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config/schema.js';
import { findOccurrences, nearestMatch, nearMatchHint } from '../../src/core/tools/near-match.js';
import { formatSize } from '../../src/core/tools/regular-file.js';
import { tempDir, writeTree } from '../support/tmp.js';
import { edit, toolsFor } from './helpers.js';

/**
 * The edit tool cannot hang or blow up: anything that is not a regular file is refused
 * without being opened for a blocking read, files over tools.max_file_size are refused
 * before they are read, and the near-match search is bounded whatever the input.
 * A regression here hangs the worker (a FIFO read holds a libuv thread for good), so every
 * test has a hard timeout.
 */

const mkfifo = (path: string): void => {
  execFileSync('mkfifo', [path]);
};

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  servers = [];
});

describe('edit tool on files that are not regular', () => {
  it('refuses every command on a FIFO at once, naming it, and leaves it in place', async () => {
    const root = tempDir();
    mkfifo(join(root, 'p'));
    const set = toolsFor(root);
    const inputs = [
      { command: 'view', path: 'p' },
      { command: 'view', path: 'p', view_range: [1, 5] },
      { command: 'str_replace', path: 'p', old_str: 'a', new_str: 'b' },
      { command: 'insert', path: 'p', insert_line: 0, insert_text: 'x' },
      { command: 'create', path: 'p', file_text: 'x' },
    ];
    for (const input of inputs) {
      const out = await edit(set, input);
      expect(out.isError, JSON.stringify(input)).toBe(true);
      expect(out.content).toMatch(/^p is a FIFO \(named pipe\), not a regular file/);
      expect(out.content).toMatch(new RegExp(`editor's ${input.command} only works on regular`));
      expect(out.content).toMatch(/bash/);
    }
    expect(statSync(join(root, 'p')).isFIFO()).toBe(true);
  }, 15_000);

  it('refuses a FIFO reached through a symbolic link inside the tree', async () => {
    const root = tempDir();
    writeTree(root, { 'sub/keep.txt': 'k\n' });
    mkfifo(join(root, 'sub', 'pipe'));
    symlinkSync('sub/pipe', join(root, 'link.md'));
    const out = await edit(toolsFor(root), { command: 'view', path: 'link.md' });
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/sub\/pipe is a FIFO/);
  }, 15_000);

  it('refuses a socket, and a directory where a file is expected', async () => {
    const root = tempDir();
    writeTree(root, { 'dir/a.txt': 'a\n' });
    const server = createServer();
    servers.push(server);
    await new Promise<void>((done) => server.listen(join(root, 'sock'), done));
    const set = toolsFor(root);
    const sock = await edit(set, { command: 'str_replace', path: 'sock', old_str: 'a' });
    expect(sock.isError).toBe(true);
    expect(sock.content).toMatch(/^sock is a socket, not a regular file/);
    const dir = await edit(set, { command: 'str_replace', path: 'dir', old_str: 'a' });
    expect(dir.content).toMatch(/dir is a directory; str_replace works on files/);
    const ins = await edit(set, { command: 'insert', path: 'dir', insert_line: 0, new_str: 'x' });
    expect(ins.content).toMatch(/directory/);
    const create = await edit(set, { command: 'create', path: 'dir', file_text: 'x' });
    expect(create.content).toMatch(/dir is a directory/);
  }, 15_000);

  it.skipIf(process.getuid?.() !== 0)(
    'refuses a character device (mknod, as root)',
    async () => {
      const root = tempDir();
      // /dev/zero's numbers: reading it would never end.
      execFileSync('mknod', [join(root, 'zero'), 'c', '1', '5']);
      const out = await edit(toolsFor(root), { command: 'view', path: 'zero' });
      expect(out.isError).toBe(true);
      expect(out.content).toMatch(/^zero is a character device, not a regular file/);
    },
    15_000,
  );
});

describe('edit tool size limit (tools.max_file_size)', () => {
  it('defaults to 10 MB', () => {
    expect(defaultConfig().tools.max_file_size).toBe(10_000_000);
  });

  it('refuses view, str_replace and insert on a file over the limit, before reading it', async () => {
    const root = tempDir();
    const text = 'x = 1\n'.repeat(5000);
    writeTree(root, { 'big.py': text, 'small.py': 'y = 2\n' });
    const set = toolsFor(root, { max_file_size: 20_000 });
    for (const input of [
      { command: 'view', path: 'big.py' },
      { command: 'view', path: 'big.py', view_range: [1, 2] },
      { command: 'str_replace', path: 'big.py', old_str: 'x = 1\nx = 2', new_str: 'z' },
      { command: 'insert', path: 'big.py', insert_line: 1, insert_text: 'z' },
    ]) {
      const out = await edit(set, input);
      expect(out.isError, JSON.stringify(input)).toBe(true);
      expect(out.content).toBe(
        "big.py is 30 KB; the limit is 20 KB (tools.max_file_size): use the bash tool with sed/grep/head instead (e.g. `grep -n PATTERN big.py`, `sed -n '100,150p' big.py`, `head -c 2000 big.py`).",
      );
    }
    expect(readFileSync(join(root, 'big.py'), 'utf8')).toBe(text);
    // Files under the limit work as always; create may replace a big file.
    expect((await edit(set, { command: 'view', path: 'small.py' })).isError).toBe(false);
    const created = await edit(set, { command: 'create', path: 'big.py', file_text: 'short\n' });
    expect(created.isError).toBe(false);
    expect(readFileSync(join(root, 'big.py'), 'utf8')).toBe('short\n');
  });

  it('answers a str_replace miss in a 150 MB file at once with the default limit', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'huge.js'), Buffer.alloc(150_000_000, 'a = 1;\n'));
    const out = await edit(toolsFor(root), {
      command: 'str_replace',
      path: 'huge.js',
      old_str: 'not there\nat all',
      new_str: 'x',
    });
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/^huge\.js is 150 MB; the limit is 10 MB \(tools\.max_file_size\)/);
  }, 30_000);

  it('formats sizes for the model', () => {
    expect(formatSize(999)).toBe('999 bytes');
    expect(formatSize(20_000)).toBe('20 KB');
    expect(formatSize(1_500_000)).toBe('1.5 MB');
    expect(formatSize(150_000_000)).toBe('150 MB');
  });
});

describe('bounded matching', () => {
  it('counts occurrences up to a cap and keeps only the first offsets', () => {
    const found = findOccurrences('ab'.repeat(50_000), 'a');
    expect(found.count).toBe(10_000);
    expect(found.capped).toBe(true);
    expect(found.offsets).toHaveLength(20);
    expect(findOccurrences('xax', 'a')).toEqual({ offsets: [1], count: 1, capped: false });
  });

  it('names the count and the first lines of a needle found very often', async () => {
    const root = tempDir();
    writeTree(root, { 'many.txt': 'item\n'.repeat(30_000) });
    const out = await edit(toolsFor(root), {
      command: 'str_replace',
      path: 'many.txt',
      old_str: 'item',
    });
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(
      /occurs at least 10000 times in many\.txt \(the first 20 at lines 1, 2, 3,/,
    );
  });

  it('still finds a whitespace near-match deep in a file too big for the similarity search', () => {
    const lines = Array.from({ length: 300_000 }, (_, i) => `  value_${i} = compute(${i})`);
    const text = `${lines.join('\n')}\n`;
    const near = nearestMatch(
      text,
      'value_250000   =  compute(250000)\nvalue_250001 = compute(250001)',
    );
    expect(near).toEqual({ kind: 'whitespace', start: 250_001, end: 250_002, score: 1 });
    // A miss there says why no similar text is offered, and how to look instead.
    const hint = nearMatchHint(text, 'value_x = other()\nsomething else');
    expect(hint).toMatch(/more than 20000 lines, too many for a similarity search/);
    expect(hint).toMatch(/grep -n/);
  }, 30_000);

  it('stays bounded on adversarial input: identical lines, a long needle that almost matches', () => {
    const text = 'x = 1;\n'.repeat(400_000);
    const needle = `${'x = 1;\n'.repeat(3000)}y = 2;`;
    expect(nearestMatch(text, needle)).toBeUndefined();
    // The similarity search on a file under its line cap, with long lines.
    const long = Array.from({ length: 19_000 }, (_, i) => `${'q'.repeat(5000)}${i}`).join('\n');
    const near = nearestMatch(long, `${'q'.repeat(5000)}7\nqqq`);
    expect(near?.kind).toBe('similar');
  }, 30_000);
});
