import { describe, expect, it } from 'vitest';
import { parseVars } from '../../src/cli/commands/improve.js';
import { InputError } from '../../src/core/errors.js';
import {
  evaluateWhen,
  expandTemplate,
  TemplateError,
} from '../../src/core/run/interpreter/context.js';
import { workflowVars } from '../../src/core/run/interpreter/items.js';
import { commitTrailers, isStepCommit } from '../../src/core/run/steps/commit.js';
import { lastNumber } from '../../src/core/run/steps/goal-seek.js';
import { recoveryOf } from '../../src/core/run/steps/index.js';
import { parseWorkflow } from '../../src/core/workflow/parse.js';
import type { Workflow } from '../../src/core/workflow/model.js';

function parseWorkflowText(text: string): Workflow {
  const parsed = parseWorkflow(new TextEncoder().encode(text), {
    file: 't.yml',
    defaultName: 't',
    origin: 'path',
    path: '/x/t.yml',
  });
  if (!parsed.workflow) throw new Error(JSON.stringify(parsed.problems));
  return parsed.workflow;
}

const context = {
  spec: { id: 'add-retry', title: 'Retry failed requests' },
  item: 'src/a.ts',
  vars: { area: 'error handling' },
  steps: { check: { ok: true, output: '12 passed', exit_code: 0n, changed: false } },
  feedback: 'test "x" failed',
  run: { cost_usd: 1.25, iterations: 2n },
};

describe('templates', () => {
  it('expands spec, item, vars, steps and feedback; $${ stays literal', () => {
    expect(
      expandTemplate(
        'Do ${spec.id}: ${spec.title} in ${item} (${vars.area}); ${steps.check.output}; ${feedback}; $${x}',
        context,
      ),
    ).toBe(
      'Do add-retry: Retry failed requests in src/a.ts (error handling); 12 passed; test "x" failed; ${x}',
    );
  });

  it('names an unknown variable instead of expanding it to nothing', () => {
    expect(() => expandTemplate('${vars.nope}', context)).toThrow(TemplateError);
    expect(() => expandTemplate('${spec}', context)).toThrow(/unknown variable \$\{spec\}/);
  });
});

describe('when conditions (CEL)', () => {
  it('decides over steps, run, vars and item, mixing ints and doubles', () => {
    expect(evaluateWhen('steps.check.ok && run.cost_usd < 2.0', context)).toEqual({
      ok: true,
      value: true,
    });
    expect(evaluateWhen('run.iterations >= 3 || item == "src/b.ts"', context)).toEqual({
      ok: true,
      value: false,
    });
    expect(evaluateWhen('vars.area.startsWith("error")', context)).toEqual({
      ok: true,
      value: true,
    });
  });

  it('reports an unknown step, a syntax error and a non-boolean as problems', () => {
    expect(evaluateWhen('steps.nope.ok', context)).toMatchObject({ ok: false });
    expect(evaluateWhen('steps.check.ok &&', context)).toMatchObject({ ok: false });
    expect(evaluateWhen('run.iterations + 1 == 3', context)).toEqual({ ok: true, value: true });
    const notBool = evaluateWhen('run.iterations + 1', context);
    expect(notBool).toEqual({ ok: false, message: 'when: run.iterations + 1: not true or false' });
  });
});

describe('step kinds', () => {
  it('goal_seek reads the last number a score command printed', () => {
    expect(lastNumber('coverage: 87.5%\n')).toBe(87.5);
    expect(lastNumber('lines 120 of 300 → 40')).toBe(40);
    expect(lastNumber('no score')).toBeUndefined();
  });

  it('commit trailers name the step only for a commit step other than `commit`', () => {
    expect(commitTrailers('r1', 'add-retry', 2, 'commit')).toEqual({
      'Mmm-Run': 'r1',
      'Mmm-Spec': 'add-retry',
      'Mmm-Attempt': '2',
    });
    const trailers = commitTrailers('r1', 'add-retry', 2, 'format-commit');
    expect(trailers['Mmm-Step']).toBe('format-commit');
    const head = { sha: 'b', parent: 'a', trailers };
    expect(isStepCommit(head, 'a', trailers)).toBe(true);
    expect(isStepCommit(head, 'a', commitTrailers('r1', 'add-retry', 2, 'commit'))).toBe(false);
    expect(isStepCommit({ ...head, parent: 'z' }, 'a', trailers)).toBe(false);
  });

  it('recovery keeps the changes of a cut-off shell or validate step and redoes an agent', () => {
    const wf = parseWorkflowText(
      'name: t\nsteps:\n  - agent: "x"\n  - shell: "true"\n  - validate: true\n  - commit: "c"\n',
    );
    expect(wf.steps.map((s) => s.id)).toEqual(['agent-1', 'shell-2', 'validate-3', 'commit-4']);
    expect(wf.steps.map(recoveryOf)).toEqual(['agent', 'shell', 'validate', 'commit']);
  });
});

describe('--var', () => {
  it('parses key=value pairs (the value may contain =) and refuses a malformed one', () => {
    expect(parseVars(['area=error handling', 'x=a=b'])).toEqual({
      area: 'error handling',
      x: 'a=b',
    });
    expect(() => parseVars(['=x'])).toThrow(InputError);
    expect(() => parseVars(['novalue'])).toThrow(/expected key=value/);
  });

  it('overrides declared variables; an undeclared one is exit 2 with a suggestion', () => {
    const wf = parseWorkflowText('name: t\nvars:\n  area: x\nsteps:\n  - shell: "true"\n');
    expect(workflowVars(wf, { vars: { area: 'tests' } })).toEqual({ area: 'tests' });
    expect(() => workflowVars(wf, { vars: { aera: 'tests' } })).toThrow(InputError);
    try {
      workflowVars(wf, { vars: { aera: 'tests' } });
    } catch (error) {
      expect((error as InputError).problems?.join('\n')).toMatch(/did you mean "area"/);
    }
  });
});
