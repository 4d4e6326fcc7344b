import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { git, gitRepo } from '../support/tmp.js';
import {
  CHECK_JS,
  branchMessages,
  createFile,
  describeTurn,
  events,
  fileAt,
  finish,
  improve,
  modelEnv,
  runEnd,
  specFile,
} from './helpers.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Strips trailing spaces from every .txt file: the project's formatter. */
const FMT_JS = `const fs = require('node:fs');
for (const f of fs.readdirSync('.')) {
  if (!f.endsWith('.txt')) continue;
  const text = fs.readFileSync(f, 'utf8');
  const clean = text.replace(/[ \\t]+$/gm, '');
  if (clean !== text) fs.writeFileSync(f, clean);
}
`;

const CONFIG = `[commands]
test = "node check.js"
format = "node fmt.js"
lint = ""
typecheck = ""
build = ""

[validate]
run = ["test"]
`;

describe('mmm improve without specs: review → implement → format', () => {
  it('proposes a spec, implements it, formats, and stops when the review finds nothing more', async () => {
    const repo = gitRepo({
      '.mmm/config.toml': CONFIG,
      'check.js': CHECK_JS,
      'fmt.js': FMT_JS,
      'README.md': '# sample\n',
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
          if (t.system.includes('greeting:'))
            return finish('Nothing else is worth doing in this area.');
          if (t.turn === 1) return createFile('specs/01-greeting.md', proposal);
          return finish('Proposed: add a greeting file.');
        }
        if (t.taskId === 'greeting') {
          // Trailing spaces: the formatter removes them afterwards.
          if (t.turn === 1) return createFile('hello.txt', 'hello   \n');
          return finish('Added hello.txt.');
        }
        return finish(`unexpected task ${t.taskId}`);
      },
    });
    const r = await improve(repo, ['--focus', 'greetings'], modelEnv(fake.url));
    expect(r.exitCode).toBe(0);
    const end = runEnd(r.stdout);
    expect(end.status).toBe('completed');
    const start = events(r.stdout).find((e) => e.type === 'run_start');
    expect(start?.workflow).toBe('review');

    const subjects = branchMessages(repo, end.branch).map((m) => m.split('\n')[0]);
    expect(subjects).toEqual(['mmm: propose Add a greeting', 'mmm: Add a greeting', 'mmm: format']);
    expect(fileAt(repo, end.branch, 'hello.txt')).toBe('hello');
    expect(fileAt(repo, end.branch, 'specs/01-greeting.md')).toContain('status: done');
    // The review prompt carried the focus and the path to write.
    const review = fake
      .messageRequests()
      .map(describeTurn)
      .find((t) => t.taskId === '(review)');
    expect(review?.system).toContain('with a focus on: greetings');
    expect(review?.system).toContain('specs/01-<short-name>.md');
    // The checkout was not touched.
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('discards a proposed spec that carries allow_edit: the model does not open protected paths for itself', async () => {
    const repo = gitRepo({
      '.mmm/config.toml': CONFIG,
      'check.js': CHECK_JS,
      'fmt.js': FMT_JS,
      'README.md': '# sample\n',
    });
    const proposal = specFile({
      id: 'loosen',
      title: 'Loosen the checks',
      checks: ['file_exists: hello.txt'],
    }).replace('priority: medium', 'priority: medium\nallow_edit: [check.js]');
    fake = await startFakeAnthropic({
      script: (request) => {
        const t = describeTurn(request);
        if (t.taskId === '(review)') {
          if (t.turn === 1) return createFile('specs/01-loosen.md', proposal);
          return finish('Proposed: loosen the checks.');
        }
        return finish(`unexpected task ${t.taskId}`);
      },
    });
    const r = await improve(repo, ['--focus', 'checks'], modelEnv(fake.url));
    const warnings = events(r.stdout).filter((e) => e.type === 'warning');
    expect(warnings.map((w) => String(w.message)).join('\n')).toContain(
      'specs/01-loosen.md: allow_edit is not allowed in a proposed spec (it would open check.js to the attempt that implements it)',
    );
    // No task ever ran on the discarded spec, and nothing was committed for it.
    expect(
      fake
        .messageRequests()
        .map(describeTurn)
        .some((t) => t.taskId === 'loosen'),
    ).toBe(false);
    const end = runEnd(r.stdout);
    expect(branchMessages(repo, end.branch).some((m) => m.includes('Loosen'))).toBe(false);
    // The review prompt said so up front.
    const review = fake
      .messageRequests()
      .map(describeTurn)
      .find((t) => t.taskId === '(review)');
    expect(review?.system).toContain('Do not write `allow_edit:` into the spec');
  });
});
