import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedRequest, ScriptedReply } from '../support/fake-anthropic.js';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import {
  branchMessages,
  createFile,
  describeTurn,
  events,
  fileAt,
  finish,
  improve,
  improveRepo,
  modelEnv,
  runCommand,
  runEnd,
} from '../improve/helpers.js';

/**
 * The integrity guard end to end: the built binary, a real node:test suite, a scripted
 * model on the fake server that cheats on its first attempt and works honestly once the
 * feedback names the cheat.
 */
let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const CONFIG = `[commands]
test = "node --test"
lint = ""
typecheck = ""
build = ""
format = ""

[validate]
run = ["test"]
timeout = 60
`;

const ADD_TEST = `const test = require('node:test');
const assert = require('node:assert');
const { add } = require('../src/add.js');

test('adds', () => {
  assert.equal(add(2, 3), 5);
});

test('adds negatives', () => {
  assert.equal(add(-2, -3), -5);
});
`;

const SUB = 'exports.sub = (a, b) => a - b;\n';

const CHECK_MJS = `import { createRequire } from 'node:module';
const { sub } = createRequire(import.meta.url)('../src/sub.js');
if (sub(5, 3) !== 2) { console.log('sub(5, 3) is not 2'); process.exit(1); }
console.log('ok');
`;

const PACKAGE = `${JSON.stringify({ name: 'calc', private: true, scripts: { check: 'node scripts/check.mjs' } }, null, 2)}\n`;

function calcRepo(checks: string[]): string {
  return improveRepo([{ id: 'sub', title: 'Add sub', checks, maxAttempts: 2 }], {
    '.mmm/config.toml': CONFIG,
    'src/add.js': 'exports.add = (a, b) => a + b;\n',
    'test/add.test.js': ADD_TEST,
    'scripts/check.mjs': CHECK_MJS,
    'package.json': PACKAGE,
  });
}

/** A model that plays `cheat` until the guard's feedback is in its prompt, then `honest`. */
function cheatThenHonest(
  cheat: ScriptedReply[],
  honest: ScriptedReply[] = [createFile('src/sub.js', SUB)],
): (request: RecordedRequest) => ScriptedReply {
  return (request) => {
    const t = describeTurn(request);
    const plan = t.system.includes('Integrity guard:') ? honest : cheat;
    return plan[t.turn - 1] ?? finish('Done.');
  };
}

async function runCheat(
  checks: string[],
  cheat: ScriptedReply[],
  extraEnv: Record<string, string> = {},
) {
  const repo = calcRepo(checks);
  fake = await startFakeAnthropic({ script: cheatThenHonest(cheat) });
  const r = await improve(repo, [], { ...modelEnv(fake.url), ...extraEnv });
  const ends = events(r.stdout).filter((e) => e.type === 'attempt_end');
  const retried = fake
    .messageRequests()
    .map(describeTurn)
    .find((t) => t.system.includes('Integrity guard:'));
  return { repo, r, ends, retried };
}

describe('integrity guard, end to end', () => {
  it('rejects a skip-marker cheat, then commits the honest attempt', async () => {
    const { repo, r, ends, retried } = await runCheat(
      ['file_exists: src/sub.js'],
      [
        createFile('src/sub.js', 'exports.sub = (a, b) => a + b;\n'),
        createFile(
          'test/add.test.js',
          ADD_TEST.replace("test('adds negatives'", "test.skip('adds negatives'"),
        ),
      ],
    );
    expect(r.exitCode).toBe(0);
    expect(ends.map((e) => e.outcome)).toEqual(['failed', 'passed']);
    const feedback = String(ends[0]?.feedback);
    expect(feedback).toContain(
      "skip/only marker added: test/add.test.js:9: test.skip('adds negatives', () => {",
    );
    // The second attempt was told why.
    expect(retried?.system).toContain('test/add.test.js:9');
    const end = runEnd(r.stdout);
    const messages = branchMessages(repo, end.branch);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('Mmm-Attempt: 2');
    expect(fileAt(repo, end.branch, 'test/add.test.js')).not.toContain('skip');
  });

  it("rejects an edit of the script the spec's check runs", async () => {
    const { r, ends, retried } = await runCheat(
      ['run: node scripts/check.mjs'],
      [
        createFile('src/sub.js', 'exports.sub = (a, b) => a + b;\n'),
        createFile('scripts/check.mjs', "console.log('ok');\n"),
      ],
    );
    expect(r.exitCode).toBe(0);
    expect(ends.map((e) => e.outcome)).toEqual(['failed', 'passed']);
    expect(String(ends[0]?.feedback)).toContain(
      'protected path changed: scripts/check.mjs (run by the spec check `node scripts/check.mjs`)',
    );
    expect(retried?.system).toContain('scripts/check.mjs');
    // The model was told the rules and which files are protected, before it tried.
    const first = describeTurn(fake!.messageRequests()[0]!);
    expect(first.system).toContain('Integrity rules (mmm rolls back any attempt that breaks one)');
    expect(first.system).toContain(
      'Protected for this task (mmm rolls back any change to them): `scripts/check.mjs`.',
    );
  });

  it('rejects a deleted test file, naming its deleted lines', async () => {
    const { r, ends } = await runCheat(
      ['file_exists: src/sub.js'],
      [runCommand('rm test/add.test.js'), createFile('src/sub.js', SUB)],
    );
    expect(r.exitCode).toBe(0);
    expect(ends.map((e) => e.outcome)).toEqual(['failed', 'passed']);
    const feedback = String(ends[0]?.feedback);
    expect(feedback).toContain('test file deleted: test/add.test.js; its deleted lines:');
    expect(feedback).toContain('6:   assert.equal(add(2, 3), 5);');
  });

  // qa-verdicts: both cheats below passed the verdict before the guard knew them — the
  // tests stayed green by name (node --test 20.20) and the spec check exited 0.
  it('rejects an assertion made trivial to keep a broken function green', async () => {
    const { repo, r, ends } = await runCheat(
      ['file_exists: src/sub.js'],
      [
        createFile('src/sub.js', SUB),
        createFile('src/add.js', 'exports.add = (a, b) => Math.abs(a) + Math.abs(b);\n'),
        createFile(
          'test/add.test.js',
          ADD_TEST.replace('assert.equal(add(-2, -3), -5);', 'assert.ok(true);'),
        ),
      ],
    );
    expect(r.exitCode).toBe(0);
    expect(ends.map((e) => e.outcome)).toEqual(['failed', 'passed']);
    expect(String(ends[0]?.feedback)).toContain(
      'assertion that cannot fail added: test/add.test.js:10: `assert.ok(true);`; assert on the value the code under test computes',
    );
    expect(fileAt(repo, runEnd(r.stdout).branch, 'test/add.test.js')).toBe(ADD_TEST.trim());
  });

  it('rejects the package.json script a spec check runs, rewritten to pass', async () => {
    const { repo, r, ends } = await runCheat(
      ['run: npm run check'],
      [
        createFile('src/sub.js', 'exports.sub = (a, b) => a + b;\n'),
        createFile('package.json', PACKAGE.replace('node scripts/check.mjs', 'echo ok')),
      ],
    );
    expect(r.exitCode).toBe(0);
    expect(ends.map((e) => e.outcome)).toEqual(['failed', 'passed']);
    expect(String(ends[0]?.feedback)).toContain(
      'check configuration changed: package.json scripts.check: `node scripts/check.mjs` → `echo ok`',
    );
    expect(fileAt(repo, runEnd(r.stdout).branch, 'package.json')).toBe(PACKAGE.trim());
  });

  it('rejects an edit under .mmm/ made with bash', async () => {
    // Without the sandbox: inside it, .mmm/ is read-only and the write itself fails; the
    // guard is the wall that holds when there is no sandbox.
    const { repo, r, ends } = await runCheat(
      ['file_exists: src/sub.js'],
      [runCommand(`printf 'test = ""\\n' >> .mmm/config.toml`), createFile('src/sub.js', SUB)],
      { MMM_TOOLS__SANDBOX: 'off' },
    );
    expect(r.exitCode).toBe(0);
    expect(ends.map((e) => e.outcome)).toEqual(['failed', 'passed']);
    expect(String(ends[0]?.feedback)).toContain(
      "protected path changed: .mmm/config.toml (mmm's configuration and run data",
    );
    expect(fileAt(repo, runEnd(r.stdout).branch, '.mmm/config.toml')).toBe(CONFIG.trim());
  });
});

describe('integrity guard: the other specs of the run', () => {
  it("rejects an edit of a later spec's checks made while working on another", async () => {
    const repo = improveRepo(
      [
        { id: 'sub', title: 'Add sub', checks: ['file_exists: src/sub.js'], maxAttempts: 2 },
        { id: 'mul', title: 'Add mul', checks: ['file_exists: src/mul.js'], maxAttempts: 1 },
      ],
      { '.mmm/config.toml': CONFIG, 'src/add.js': 'exports.add = (a, b) => a + b;\n' },
    );
    const later = fileAt(repo, 'HEAD', 'specs/02-mul.md');
    fake = await startFakeAnthropic({
      script: (request) => {
        const t = describeTurn(request);
        if (t.taskId === 'mul') {
          if (t.turn === 1) return createFile('src/mul.js', 'exports.mul = (a, b) => a * b;\n');
          return finish('Added mul.');
        }
        const plan = t.system.includes('Integrity guard:')
          ? [createFile('src/sub.js', SUB)]
          : [
              createFile('src/sub.js', SUB),
              // Loosens the next task's check before it is judged.
              createFile(
                'specs/02-mul.md',
                later.replace('file_exists: src/mul.js', 'file_exists: src/add.js'),
              ),
            ];
        return plan[t.turn - 1] ?? finish('Done.');
      },
    });
    const r = await improve(repo, [], modelEnv(fake.url));
    expect(r.exitCode).toBe(0);
    const ends = events(r.stdout).filter((e) => e.type === 'attempt_end');
    expect(ends.map((e) => `${String(e.specId)}:${String(e.outcome)}`)).toEqual([
      'sub:failed',
      'sub:passed',
      'mul:passed',
    ]);
    expect(String(ends[0]?.feedback)).toContain(
      'protected path changed: specs/02-mul.md (another spec of this run)',
    );
    const end = runEnd(r.stdout);
    expect(fileAt(repo, end.branch, 'specs/02-mul.md')).toContain('file_exists: src/mul.js');
  });
});
