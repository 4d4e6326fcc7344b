// The floor for any analyzer written for Node on this machine: list the files with git,
// open/read/close each one and count its newlines — nothing else. bench/analyze.bench.mjs
// times it beside `mmm analyze` (run it in a repository: `node bench/analyze-floor.mjs`).
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';

const listing = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
  encoding: 'utf8',
  maxBuffer: 1 << 28,
});
const buf = Buffer.allocUnsafe(256 * 1024);
let lines = 0;
for (const file of listing.split('\0')) {
  if (!file) continue;
  let fd;
  try {
    fd = openSync(file, 'r');
  } catch {
    continue; // deleted or a dangling symlink
  }
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      for (let i = 0; i < n; i++) if (buf[i] === 10) lines++;
      if (n < buf.length) break;
    }
  } catch {
    // a directory (submodule) or unreadable: skipped
  } finally {
    closeSync(fd);
  }
}
process.stdout.write(`${lines}\n`);
