import { describe, expect, it } from 'vitest';
import { runTool } from '../../src/core/tools/index.js';
import type { EvidenceSink } from '../../src/core/tools/index.js';
import { tempDir } from '../support/tmp.js';
import { toolsFor } from '../tools/helpers.js';

describe('report_evidence', () => {
  function setup() {
    const set = toolsFor(tempDir());
    const sink: EvidenceSink = {
      criteria: [
        { text: 'adds', hasCheck: false },
        { text: 'documented', hasCheck: true },
      ],
      reports: [],
    };
    const call = (input: unknown) =>
      runTool(set.tools, 'report_evidence', input, { ...set.context, evidence: sink });
    return { set, sink, call };
  }

  it('records reports, one or several at once; a later report replaces an earlier one', async () => {
    const { sink, call } = setup();
    const one = await call({ criterion: 1, tests: ['add > adds'], note: 'unit test' });
    expect(one.isError).toBe(false);
    expect(one.content).toContain('- criterion 1 (adds): add > adds');
    await call({
      evidence: [
        { criterion: 1, tests: ['add > adds two numbers'] },
        { criterion: 2, tests: ['run: node docs-check.mjs'] },
      ],
    });
    expect(sink.reports).toEqual([
      { criterion: 1, tests: ['add > adds two numbers'] },
      { criterion: 2, tests: ['run: node docs-check.mjs'] },
    ]);
  });

  it('refuses unknown criteria, empty test lists, and calls outside a spec attempt', async () => {
    const { set, sink, call } = setup();
    const out = await call({ criterion: 3, tests: ['x'] });
    expect(out.isError).toBe(true);
    expect(out.content).toContain('No criterion 3: the task has 2:\n1. adds\n2. documented');
    expect((await call({ criterion: 1, tests: [] })).isError).toBe(true);
    expect((await call({ criterion: 0, tests: ['x'] })).isError).toBe(true);
    expect(sink.reports).toEqual([]);
    const outside = await runTool(
      set.tools,
      'report_evidence',
      { criterion: 1, tests: ['x'] },
      set.context,
    );
    expect(outside).toMatchObject({ isError: true });
    expect(outside.content).toContain('no task with acceptance criteria');
  });

  it('says which field to fix, and takes one report and a list in the same call', async () => {
    const { sink, call } = setup();
    const noTests = await call({ criterion: 1 });
    expect(noTests).toMatchObject({ isError: true, display: 'report_evidence: invalid input' });
    expect(noTests.content).toMatch(
      /^Invalid input for report_evidence:\n- tests: Give the tests that prove this criterion\. \(it is missing\)\nExpected \{"criterion"/,
    );
    const empty = await call({});
    expect(empty.content).toContain('- input: Give criterion and tests, or evidence. (got {})');
    const nested = await call({ evidence: [{ criterion: 2, tests: [' '] }] });
    expect(nested.content).toContain('- evidence.0.tests.0: Too small');
    expect(sink.reports).toEqual([]);
    const both = await call({
      criterion: 1,
      tests: ['add > adds'],
      evidence: [{ criterion: 2, tests: ['docs > lists it'] }],
    });
    expect(both.isError).toBe(false);
    expect(sink.reports.map((r) => r.criterion)).toEqual([1, 2]);
  });
});
