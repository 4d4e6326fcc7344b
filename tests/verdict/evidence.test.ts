import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedRequest, ScriptedReply } from '../support/fake-anthropic.js';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { runMmm } from '../support/cli.js';
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
  runEnd,
  runIdOf,
  runState,
} from '../improve/helpers.js';

/**
 * Evidence end to end: the built binary, a scripted model that reports evidence with the
 * report_evidence tool, and the spec file, commit message, events, state and `mmm status`
 * that come out.
 */
let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const config = (requireEvidence: boolean) => `[commands]
test = "node --test"
lint = ""
typecheck = ""
build = ""
format = ""

[validate]
run = ["test"]
timeout = 60
require_evidence = ${requireEvidence}
`;

const SUB_TEST = `const test = require('node:test');
const assert = require('node:assert');
const { sub } = require('../src/sub.js');
test('subtracts', () => assert.equal(sub(5, 3), 2));
`;

const SPEC = `---
id: sub
title: Add sub
max_attempts: 2
checks:
  - run: node --test test/sub.test.js
---
# Add sub

## Objective

Add \`sub(a, b)\` to src/sub.js, with a test.

## Acceptance Criteria

- [ ] sub(5, 3) returns 2
- [ ] the guide mentions sub <!-- check: file_contains: {path: docs/guide.md, pattern: "sub\\\\(a, b\\\\)"} -->
- [ ] nothing else broke
`;

function repo(requireEvidence: boolean): string {
  return improveRepo([], {
    '.mmm/config.toml': config(requireEvidence),
    'src/add.js': 'exports.add = (a, b) => a + b;\n',
    'docs/guide.md': '# Guide\n\n- add(a, b)\n',
    'specs/01-sub.md': SPEC,
  });
}

function reportEvidence(input: Record<string, unknown>): ScriptedReply {
  return {
    content: [{ type: 'tool_use', name: 'report_evidence', input }],
    usage: { input_tokens: 1000, output_tokens: 40 },
  };
}

/** Writes sub, its test and the guide line; then reports `evidence` (if any) and ends. */
function subModel(
  evidence: (t: ReturnType<typeof describeTurn>) => Record<string, unknown> | undefined,
): (request: RecordedRequest) => ScriptedReply {
  return (request) => {
    const t = describeTurn(request);
    const steps: ScriptedReply[] = [
      createFile('src/sub.js', 'exports.sub = (a, b) => a - b;\n'),
      createFile('test/sub.test.js', SUB_TEST),
      createFile('docs/guide.md', '# Guide\n\n- add(a, b)\n- sub(a, b)\n'),
    ];
    const report = evidence(t);
    if (report) steps.push(reportEvidence(report));
    return steps[t.turn - 1] ?? finish('Added sub with a test and documented it.');
  };
}

describe('evidence for acceptance criteria, end to end', () => {
  it('ticks only the criteria with verified evidence and lists each in the commit message', async () => {
    const dir = repo(false);
    fake = await startFakeAnthropic({
      script: subModel(() => ({
        criterion: 1,
        tests: ['run: node --test test/sub.test.js'],
        note: 'the new test',
      })),
    });
    const r = await improve(dir, [], modelEnv(fake.url));
    expect(r.exitCode).toBe(0);
    // The model was given the numbered criteria and the rule.
    const first = describeTurn(fake.messageRequests()[0]!);
    expect(first.system).toContain(
      'Acceptance criteria, numbered for report_evidence:\n1. sub(5, 3) returns 2\n2. the guide mentions sub (proved by its own check',
    );
    const names = (first.request.body.tools ?? []).map((tool) => (tool as { name: string }).name);
    expect(names).toContain('report_evidence');

    const end = runEnd(r.stdout);
    const spec = fileAt(dir, end.branch, 'specs/01-sub.md');
    expect(spec).toContain('status: done');
    expect(spec).toContain('- [x] sub(5, 3) returns 2');
    expect(spec).toContain('- [x] the guide mentions sub <!--');
    expect(spec).toContain('- [ ] nothing else broke');

    const [message] = branchMessages(dir, end.branch);
    expect(message).toContain(
      [
        'Acceptance criteria:',
        '- [x] 1. sub(5, 3) returns 2 (verified: check "run: node --test test/sub.test.js" passed)',
        '- [x] 2. the guide mentions sub (verified: check "file_contains: docs/guide.md ~ /sub\\(a, b\\)/" passed)',
        '- [ ] 3. nothing else broke (unverified: no evidence reported)',
      ].join('\n'),
    );

    const passed = events(r.stdout).find((e) => e.type === 'attempt_end' && e.outcome === 'passed');
    expect((passed?.criteria as { status: string }[]).map((c) => c.status)).toEqual([
      'verified',
      'verified',
      'unverified',
    ]);
    const state = runState(dir, runIdOf(end.branch)) as {
      specs: Record<string, { unverified?: string[] }>;
    };
    expect(state.specs.sub?.unverified).toEqual(['3. nothing else broke']);
    const summary = (end.specs as { id: string; criteriaDone: number; criteriaTotal: number }[])[0];
    expect([summary?.criteriaDone, summary?.criteriaTotal]).toEqual([2, 3]);

    const status = await runMmm(['status'], { cwd: dir, env: modelEnv(fake.url) });
    expect(status.stdout).toContain('sub: criteria without verified evidence (left unticked):');
    expect(status.stdout).toContain('3. nothing else broke');
  });

  it('with validate.require_evidence, fails an attempt with missing evidence, then commits a proven one', async () => {
    const dir = repo(true);
    fake = await startFakeAnthropic({
      script: subModel((t) =>
        t.system.includes('needs verified evidence (validate.require_evidence)')
          ? {
              evidence: [
                { criterion: 1, tests: ['run: node --test test/sub.test.js'] },
                { criterion: 3, tests: ['test'] },
              ],
            }
          : { criterion: 1, tests: ['run: node --test test/sub.test.js'] },
      ),
    });
    const r = await improve(dir, [], modelEnv(fake.url));
    expect(r.exitCode).toBe(0);
    const ends = events(r.stdout).filter((e) => e.type === 'attempt_end');
    expect(ends.map((e) => e.outcome)).toEqual(['failed', 'passed']);
    expect(String(ends[0]?.feedback)).toContain(
      'these have none:\n- criterion 3 (nothing else broke): no evidence reported',
    );
    const end = runEnd(r.stdout);
    const spec = fileAt(dir, end.branch, 'specs/01-sub.md');
    expect(spec).toContain('- [x] nothing else broke');
    expect(branchMessages(dir, end.branch)[0]).toContain(
      '- [x] 3. nothing else broke (verified: check "test" passed)',
    );
  });
});
