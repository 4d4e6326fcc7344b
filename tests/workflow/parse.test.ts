import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/core/specs/model.js';
import { parseWorkflow } from '../../src/core/workflow/parse.js';

function parse(text: string, commands: Record<string, string> = {}) {
  const result = parseWorkflow(Buffer.from(text), {
    file: 'wf.yml',
    defaultName: 'wf',
    origin: 'project',
    path: '/repo/.mmm/workflows/wf.yml',
    commands: (name) => commands[name],
    knownWorkflows: ['specs', 'review', 'wf'],
  });
  return { ...result, messages: result.problems.map(formatProblem) };
}

const EXAMPLE = `name: fix-failing-tests
description: Make failing tests pass without weakening them
for_each: specs
vars:
  area: error handling
steps:
  - id: implement
    agent: |
      Implement \${spec.title}.
      Focus on \${vars.area}. \${feedback}
    model: claude-haiku-5-5
    budget: {usd: 1.5}
  - id: check
    validate: true
    on_failure:
      retry: implement
      max_attempts: 3
  - id: commit
    commit: "\${spec.title}"
  - id: note
    shell: "npm run docs"
    capture: docs_log
    when: "steps.check.ok && run.cost_usd < 2.0"
  - id: raise-coverage
    goal_seek:
      agent: "Raise test coverage of \${vars.area}. Last: \${vars.docs_log}"
      score: "npm run -s coverage:pct"
      target: 90
      max_attempts: 5
`;

describe('parseWorkflow: mmm format', () => {
  it('reads the example of the issue into the model', () => {
    const { workflow, messages } = parse(EXAMPLE);
    expect(messages).toEqual([]);
    expect(workflow?.name).toBe('fix-failing-tests');
    expect(workflow?.forEach).toEqual({ kind: 'specs' });
    expect(workflow?.vars).toEqual({ area: 'error handling' });
    expect(workflow?.steps.map((s) => `${s.kind}:${s.id}`)).toEqual([
      'agent:implement',
      'validate:check',
      'commit:commit',
      'shell:note',
      'goal_seek:raise-coverage',
    ]);
    expect(workflow?.steps[0]).toMatchObject({
      model: 'claude-haiku-5-5',
      budget: { usd: 1.5 },
      pos: { line: 7, col: 5 },
    });
    expect(workflow?.steps[1]).toMatchObject({
      commands: true,
      checks: true,
      onFailure: { retry: 'implement', maxAttempts: 3, then: 'fail' },
    });
    expect(workflow?.steps[3]).toMatchObject({
      capture: 'docs_log',
      expectExit: 0,
      when: 'steps.check.ok && run.cost_usd < 2.0',
    });
    expect(workflow?.steps[4]).toMatchObject({ target: 90, direction: 'up', maxAttempts: 5 });
    expect(workflow?.source).toMatchObject({ origin: 'project', format: 'mmm' });
    expect(workflow?.source.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('generates ids <kind>-<n> when the file gives none', () => {
    const { workflow } = parse(
      'steps:\n  - shell: "true"\n  - goal_seek: {agent: x, score: "echo 1", target: 1}\n',
    );
    expect(workflow?.steps.map((s) => s.id)).toEqual(['shell-1', 'goal_seek-2']);
    expect(workflow?.name).toBe('wf');
  });

  it('reports every problem at once with file:line:col', () => {
    const text = `name: broken
stepz: 1
vars:
  area: x
steps:
  - id: a
    agnet: "do"
  - id: b
    agent: "Fix \${vars.aera} and \${steps.c.output} \${spec.title}"
  - id: b
    shell: "true"
    on_failure:
      retry: implment
  - id: c
    commit: "x"
    when: "steps.b.ok &&"
  - id: d
    shell: "true"
    when: "steps.bb.ok"
    timeout: -5
  - workflow: reviw
`;
    const { workflow, messages } = parse(text);
    expect(workflow).toBeUndefined();
    expect(messages).toEqual([
      'wf.yml:2:1: unknown key "stepz" (did you mean "steps"?)',
      'wf.yml:6:5: steps[0] has no kind: give it one of agent, shell, validate, commit, goal_seek, workflow (did you mean "agent"?)',
      'wf.yml:9:17: unknown variable ${vars.aera} (did you mean ${vars.area}?): declare it under vars: (a default; --var aera=… overrides)',
      'wf.yml:9:34: ${steps.c.output}: step "c" has not run yet here (only earlier steps can be read)',
      'wf.yml:9:52: ${spec.title} needs for_each: specs (this workflow does not run over specs)',
      'wf.yml:10:9: duplicate step id "b" (steps[1] has it too): give each step its own id',
      'wf.yml:13:14: retry: no earlier step has id "implment"',
      'wf.yml:16:25: when: Unexpected token: EOF (CEL over steps, spec, item, run, vars; see docs/workflows.md)',
      'wf.yml:20:14: steps[4].timeout: Too small: expected number to be >0 (got -5)',
      'wf.yml:21:15: no workflow "reviw" (did you mean "review"?): mmm workflows lists them',
    ]);
  });

  it('type-checks when: against the steps, run, vars, spec and item this workflow has', () => {
    const text = (when: string, forEach = '') => `${forEach}vars:
  area: x
steps:
  - id: tests
    shell: "npm test"
  - id: fix-it
    agent: "fix"
    when: '${when}'
`;
    const ok = [
      '!steps.tests.ok',
      'steps.tests.exit_code == 1 && run.cost_usd < 2',
      'steps["fix-it"].skipped || vars.area.startsWith("x")',
      'steps.tests.output.trim() != "" && run.attempt <= 3 && feedback == ""',
    ];
    for (const when of ok) expect(parse(text(when)).messages, when).toEqual([]);
    expect(parse(text('item.endsWith(".py")', 'for_each: [a.py]\n')).messages).toEqual([]);
    expect(parse(text('spec.priority == "high"', 'for_each: specs\n')).messages).toEqual([]);
    const bad: [string, RegExp][] = [
      ['steps.test.ok', /when: No such key: test/],
      ['steps.tests.output == 1', /when: no such overload: string == int/],
      ['steps.tests.output', /when: must be true or false, but this is a string/],
      ['spec.title == "x"', /when: Unknown variable: spec/],
      ['vars.aera == "x"', /when: No such key: aera/],
      ['run.cost == 1.0', /when: No such key: cost/],
    ];
    for (const [when, message] of bad) {
      const { messages } = parse(text(when));
      expect(messages, when).toHaveLength(1);
      expect(messages[0], when).toMatch(message);
      expect(messages[0], when).toMatch(/^wf\.yml:8:\d+: /);
    }
  });

  it('checks template fields and allows $${ as a literal', () => {
    const { messages } = parse(`steps:
  - id: a
    shell: "echo $\${HOME} \${run.branch} \${run.brnch} \${steps.a.output}"
  - id: b
    agent: "\${steps.a.outptu} \${steps.a.exit_code} \${item}"
`);
    expect(messages).toEqual([
      'wf.yml:3:41: unknown variable ${run.brnch} (did you mean ${run.branch}?): run fields: id, cost_usd, tokens, iterations, commits, elapsed_s, attempt, format_command, build_command, test_command, lint_command, typecheck_command, branch',
      'wf.yml:3:54: ${steps.a.output}: step "a" has not run yet here (only earlier steps can be read)',
      'wf.yml:5:13: unknown variable ${steps.a.outptu} (did you mean ${steps.a.output}?): step fields: ok, skipped, output, exit_code, changed, failure',
      'wf.yml:5:52: ${item} needs for_each: (this workflow has one item and no ${item})',
    ]);
  });
});
