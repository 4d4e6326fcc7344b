import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { git, gitRepo } from '../support/tmp.js';
import {
  CHECK_JS,
  branchMessages,
  createFile,
  describeTurn,
  fileAt,
  fileWritingModel,
  finish,
  improve,
  modelEnv,
  runEnd,
  specFile,
  TEST_CONFIG,
} from '../improve/helpers.js';

/**
 * `mmm improve` with `spec_dir = ["specs", "docs/specs"]` (the fake Anthropic server as the
 * model): specs of both folders run and are marked done in their own files, uncommitted
 * specs of every folder are brought into the run, and a review round writes its proposal
 * into the first folder.
 */
const CONFIG = `spec_dir = ["specs", "docs/specs"]\n${TEST_CONFIG}`;

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('mmm improve with several spec directories', () => {
  it('runs the specs of both folders and writes each back in its own file', async () => {
    const repo = gitRepo({
      '.mmm/config.toml': CONFIG,
      'check.js': CHECK_JS,
      'specs/01-parser.md': specFile({
        id: 'parser',
        title: 'Parser',
        checks: ['file_exists: parser.txt'],
      }),
    });
    // The second folder's spec is not committed: the run brings it in.
    const lexer = specFile({
      id: 'lexer',
      title: 'Lexer',
      dependsOn: ['parser'],
      checks: ['file_exists: lexer.txt'],
    });
    mkdirSync(join(repo, 'docs/specs'), { recursive: true });
    writeFileSync(join(repo, 'docs/specs/02-lexer.md'), lexer);
    const status = git(repo, 'status', '--porcelain', '--untracked-files=all');

    fake = await startFakeAnthropic({
      script: fileWritingModel({
        parser: { path: 'parser.txt', text: 'parsed\n' },
        lexer: { path: 'lexer.txt', text: 'lexed\n' },
      }),
    });
    const r = await improve(repo, [], modelEnv(fake.url));
    expect(r.exitCode, r.stderr + r.stdout.slice(0, 3000)).toBe(0);
    const { branch, status: end } = runEnd(r.stdout);
    expect(end).toBe('completed');
    expect(r.stdout).toContain(
      'copied 1 uncommitted spec file into the run (docs/specs/02-lexer.md)',
    );

    const subjects = branchMessages(repo, branch).map((m) => m.split('\n')[0]);
    expect(subjects).toEqual([
      'mmm: use the uncommitted spec files of the checkout',
      'mmm: Parser',
      'mmm: Lexer',
    ]);
    expect(fileAt(repo, branch, 'parser.txt')).toBe('parsed');
    expect(fileAt(repo, branch, 'lexer.txt')).toBe('lexed');
    expect(fileAt(repo, branch, 'specs/01-parser.md')).toContain('\nstatus: done\n');
    // Written back byte for byte in its own file: only the status changed.
    expect(fileAt(repo, branch, 'docs/specs/02-lexer.md')).toBe(
      lexer.replace('\nstatus: ready\n', '\nstatus: done\n').trim(),
    );
    // Each spec stays in its own folder: nothing was written across.
    expect(git(repo, 'ls-tree', '--name-only', branch, 'specs/')).toBe('specs/01-parser.md');
    expect(git(repo, 'ls-tree', '--name-only', branch, 'docs/specs/')).toBe(
      'docs/specs/02-lexer.md',
    );
    // The user's checkout is as it was, the uncommitted spec included.
    expect(git(repo, 'status', '--porcelain', '--untracked-files=all')).toBe(status);
  });

  it('a review round writes its proposal into the first folder, numbered after both', async () => {
    const repo = gitRepo({
      '.mmm/config.toml': CONFIG,
      'check.js': CHECK_JS,
      'README.md': '# sample\n',
      'docs/specs/07-lexer.md': specFile({ id: 'lexer', title: 'Lexer', status: 'done' }),
    });
    const proposal = specFile({
      id: 'greeting',
      title: 'Add a greeting',
      checks: ['file_exists: hello.txt'],
    });
    fake = await startFakeAnthropic({
      script: (request) => {
        const t = describeTurn(request);
        if (t.taskId === '(review)') {
          if (t.system.includes('greeting:')) return finish('Nothing else is worth doing.');
          if (t.turn === 1) return createFile('specs/08-greeting.md', proposal);
          return finish('Proposed: add a greeting file.');
        }
        if (t.taskId === 'greeting') {
          if (t.turn === 1) return createFile('hello.txt', 'hello\n');
          return finish('Added hello.txt.');
        }
        return finish(`unexpected task ${t.taskId}`);
      },
    });
    const r = await improve(repo, ['--focus', 'greetings'], modelEnv(fake.url));
    expect(r.exitCode, r.stderr + r.stdout.slice(0, 3000)).toBe(0);
    const { branch } = runEnd(r.stdout);
    const review = fake
      .messageRequests()
      .map(describeTurn)
      .find((t) => t.taskId === '(review)');
    expect(review?.system).toContain('specs/08-<short-name>.md');
    expect(review?.system).not.toContain('docs/specs/08-<short-name>.md');
    // The review saw the spec of the second folder.
    expect(review?.system).toContain('lexer');
    const subjects = branchMessages(repo, branch).map((m) => m.split('\n')[0]);
    expect(subjects).toEqual(['mmm: propose Add a greeting', 'mmm: Add a greeting']);
    expect(fileAt(repo, branch, 'specs/08-greeting.md')).toContain('\nstatus: done\n');
    expect(fileAt(repo, branch, 'hello.txt')).toBe('hello');
    expect(git(repo, 'ls-tree', '--name-only', branch, 'docs/specs/')).toBe(
      'docs/specs/07-lexer.md',
    );
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });
});
