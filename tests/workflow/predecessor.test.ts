import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/core/specs/model.js';
import type { AgentStep, Step } from '../../src/core/workflow/model.js';
import { parseWorkflow } from '../../src/core/workflow/parse.js';

const COMMANDS: Record<string, string> = {
  'debug-test-failure': `---
description: Fix a failing test
allowed-tools: Bash, Edit
---
A test fails. Arguments: $ARGUMENTS
Find the cause and fix the code, not the test.
`,
  lint: 'Fix the lint problems. Context: $ARGUMENTS\n',
  'implement-spec': 'Implement spec $1 completely.\n',
};

function parseFixture(name: string) {
  const file = `tests/workflow/fixtures/predecessor/${name}.yml`;
  const result = parseWorkflow(readFileSync(file), {
    file,
    defaultName: name,
    origin: 'path',
    path: `/abs/${file}`,
    commands: (command) => COMMANDS[command],
  });
  return { ...result, messages: result.problems.map(formatProblem) };
}

const summary = (s: Step) =>
  `${s.kind}:${s.id}${s.when ? ` when ${s.when}` : ''}${s.onFailure ? ` on_failure ${s.onFailure.retry ?? ''}/${s.onFailure.maxAttempts}/${s.onFailure.then}` : ''}`;

describe("the predecessor's list format", () => {
  it('turns claude/shell items with on_failure, commit_required and capture_output into steps', () => {
    const { workflow, messages } = parseFixture('debug');
    expect(messages).toEqual([]);
    expect(workflow?.source.format).toBe('predecessor');
    expect(workflow?.name).toBe('debug');
    expect(workflow?.steps.map(summary)).toEqual([
      'shell:step-1 on_failure /1/continue',
      'agent:step-1-fix when !steps["step-1"].ok',
      'shell:step-1-recheck when !steps["step-1"].ok on_failure step-1-fix/3/fail',
      'commit:step-1-fix-commit when !steps["step-1"].ok && steps["step-1-recheck"].ok',
      'agent:step-2',
      'commit:step-2-commit when steps["step-2"].ok',
    ]);
    const fix = workflow?.steps[1] as AgentStep;
    // The prompt of .claude/commands/debug-test-failure.md, frontmatter dropped, $ARGUMENTS filled.
    expect(fix.prompt).toBe(
      'A test fails. Arguments: --output ${steps.step-1.output}\nFind the cause and fix the code, not the test.',
    );
    expect((workflow?.steps[4] as AgentStep).prompt).toBe(
      'Fix the lint problems. Context: ${steps.step-1.output}',
    );
    expect(workflow?.steps[0]?.pos).toEqual({ line: 2, col: 3 });
  });

  it('reads the `commands:` mapping form, $ARG as ${vars.arg}, timeout and on_success', () => {
    const { workflow, messages } = parseFixture('implement');
    expect(messages).toEqual([]);
    expect(workflow?.vars).toEqual({ arg: '' });
    expect((workflow?.steps[0] as AgentStep).prompt).toBe('Implement spec ${vars.arg} completely.');
    expect(workflow?.steps.map(summary)).toEqual([
      'agent:step-1',
      'commit:step-1-commit when steps["step-1"].ok',
      'shell:step-2 on_failure /1/continue',
      'agent:step-2-fix when !steps["step-2"].ok',
      'shell:step-2-recheck when !steps["step-2"].ok on_failure step-2-fix/5/continue',
      'shell:step-3',
      'shell:step-3-on-success when steps["step-3"].ok',
    ]);
    expect(workflow?.steps[2]?.timeout).toBe(600);
  });

  it('reports what mmm does not support, and missing commands, with file:line:col', () => {
    const { workflow, messages } = parseFixture('unsupported');
    expect(workflow).toBeUndefined();
    const f = 'tests/workflow/fixtures/predecessor/unsupported.yml';
    expect(messages).toEqual([
      `${f}:2:11: claude: "/coverage" needs .claude/commands/coverage.md (the prompt of the command): create it`,
      `${f}:5:3: "outputs" in item 1 is not supported by mmm: remove it, or rewrite the workflow in mmm's format (docs/workflows.md)`,
      `${f}:9:28: unknown variable \${coverage.spec}: templates use \${spec.<field>}, \${item}, \${vars.<name>}, \${steps.<id>.output}, \${run.<field>}, \${feedback}`,
      `${f}:11:3: "analyze" in item 3 is not supported by mmm: remove it, or rewrite the workflow in mmm's format (docs/workflows.md)`,
      `${f}:11:3: item 3 needs exactly one of claude: "/command args" or shell: "…"`,
      `${f}:16:13: claude: "/debug" needs .claude/commands/debug.md (the prompt of the command): create it`,
      `${f}:17:5: "on_success" in on_failure is not supported by mmm: remove it, or rewrite the workflow in mmm's format (docs/workflows.md)`,
    ]);
  });
});
