import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, gitRepo, writeTree } from '../support/tmp.js';
import { diffPatch } from '../../src/core/git/repo.js';
import { findSecretsInChanges } from '../../src/core/secrets/diff-scan.js';
import { Redactor } from '../../src/core/secrets/redact.js';
import { attemptDiff } from '../../src/core/verdict/guard-git.js';

/** Whether the repository holds an object with exactly this content. */
function hasBlob(repo: string, content: string): boolean {
  const sha = execFileSync('git', ['hash-object', '--stdin'], { cwd: repo, input: content })
    .toString()
    .trim();
  try {
    execFileSync('git', ['cat-file', '-e', sha], { cwd: repo, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('inspecting an attempt writes no object into the repository', () => {
  it('diffPatch, the secret scan and the guard diff see new files, yet add no blob', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n' });
    const secret = 'sk-ant-api03-SCRATCH-not-in-objects-42';
    writeTree(repo, { 'leak.env': `KEY=${secret}\n`, 'a.txt': 'changed\n' });
    writeFileSync(join(repo, 'new.txt'), 'brand new\n');
    const index = git(repo, 'ls-files', '--stage');

    const patch = await diffPatch(repo);
    expect(patch).toContain('+KEY=');
    expect(patch).toContain('+brand new');
    const head = git(repo, 'rev-parse', 'HEAD');
    const redactor = new Redactor([{ name: 'TEST_KEY', value: secret }]);
    const found = await findSecretsInChanges(repo, head, redactor);
    expect(found.map((f) => f.file)).toEqual(['leak.env']);
    const diff = await attemptDiff(repo, head);
    expect(diff.files.map((f) => f.newPath).sort()).toEqual(['a.txt', 'leak.env', 'new.txt']);

    for (const content of [`KEY=${secret}\n`, 'brand new\n', 'changed\n']) {
      expect(hasBlob(repo, content), content).toBe(false);
    }
    expect(git(repo, 'ls-files', '--stage')).toBe(index); // the real index is untouched
  });
});
