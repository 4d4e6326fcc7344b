import { describe, expect, it } from 'vitest';
import { findSecretsInChanges } from '../../src/core/secrets/diff-scan.js';
import { Redactor } from '../../src/core/secrets/redact.js';
import { git, gitRepo, writeTree } from '../support/tmp.js';

const KEY = 'sk-ant-api03-scan-key-0123456789';
const redactor = new Redactor([{ name: 'ANTHROPIC_API_KEY', value: KEY }]);

describe('findSecretsInChanges (a real repository)', () => {
  it('finds the key in untracked and modified files and in names, not in old lines', async () => {
    // The user's repository already holds the key in a committed file: not the attempt's doing.
    const repo = gitRepo({ 'old.env': `KEY=${KEY}\n`, 'src/a.ts': 'export const a = 1;\n' });
    const base = git(repo, 'rev-parse', 'HEAD').trim();
    expect(await findSecretsInChanges(repo, base, redactor)).toEqual([]);
    writeTree(repo, {
      'old.env': `KEY=${KEY}\nMORE=1\n`,
      'src/a.ts': `export const a = "${KEY}";\n`,
      'notes/new file.txt': `copied ${Buffer.from(`x${KEY}`).toString('base64')}\n`,
      [`dump-${KEY}`]: '',
      'ignored/x.txt': KEY,
      '.gitignore': 'ignored/\n',
    });
    const index = git(repo, 'diff', '--cached', '--name-only');
    const findings = await findSecretsInChanges(repo, base, redactor);
    expect(findings).toEqual([
      { file: 'dump-[redacted:ANTHROPIC_API_KEY]', names: ['ANTHROPIC_API_KEY'] },
      { file: 'notes/new file.txt', names: ['ANTHROPIC_API_KEY'] },
      { file: 'src/a.ts', names: ['ANTHROPIC_API_KEY'] },
    ]);
    // The real index is untouched: nothing was staged.
    expect(git(repo, 'diff', '--cached', '--name-only')).toBe(index);
    expect(git(repo, 'status', '--porcelain')).toContain('?? notes/');
  });
});
