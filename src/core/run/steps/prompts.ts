import type { Spec, SpecCheck } from '../../specs/model.js';
import type { ProjectCommand } from '../../validate/index.js';
import { criteriaBlock } from '../../verdict/evidence.js';
import type { CheckResult, CriterionVerdict } from '../events.js';
import { redact } from '../../secrets/redact.js';

/**
 * The words the loop adds around the agent: how checks are described to it, what it is
 * told when an attempt changed nothing, commit messages, and the review task.
 */

function describeCheck(check: SpecCheck): string {
  switch (check.kind) {
    case 'run':
      return `\`${check.run}\` exits with code ${check.expectExit}`;
    case 'file_exists':
      return `the file ${check.path} exists`;
    case 'file_contains':
      return `the file ${check.path} matches the regular expression /${check.pattern}/`;
    case 'expr':
      return `the expression \`${check.expr}\` holds over the check results`;
  }
}

/** One line per check an attempt must pass: the project's commands, then the spec's. */
export function describeChecks(
  commands: ProjectCommand[],
  checks: SpecCheck[],
  failingAtBaseline: ReadonlySet<string> = new Set(),
): string[] {
  return [
    ...commands.map((c) =>
      failingAtBaseline.has(c.name)
        ? `${c.name}: \`${c.command}\` shows no new failure (it already failed before you started; see the pre-existing failures)`
        : `${c.name}: \`${c.command}\` succeeds`,
    ),
    ...checks.map(describeCheck),
  ];
}

export const NO_CHANGES_FEEDBACK =
  'The attempt ended without changing any file, so there was nothing to check or commit. ' +
  'mmm only accepts work that changes the repository and passes the checks: make the changes ' +
  'the task asks for with the tools (a summary alone does not count).';

export function agentStopFeedback(reason: string, detail: string | undefined): string {
  switch (reason) {
    case 'tool_loop':
      return `The attempt was stopped because it repeated itself: ${detail ?? 'the same tool call returned the same result several times'}. Try a different approach.`;
    case 'refusal':
      return 'The model declined to continue (stop reason "refusal").';
    case 'max_turns':
      return 'The attempt used all of its turns before finishing; work in fewer, larger steps.';
    default:
      return detail ?? `The attempt ended early (${reason}).`;
  }
}

const SUMMARY_LIMIT = 2000;

function clipSummary(summary: string): string {
  const text = summary.trim();
  if (text.length <= SUMMARY_LIMIT) return text;
  const cut = text.slice(0, SUMMARY_LIMIT);
  const end = cut.lastIndexOf('\n');
  return `${end > SUMMARY_LIMIT / 2 ? cut.slice(0, end) : cut}\n[…]`;
}

/** `mmm: <title>`, the agent's summary, each criterion with its evidence, the checks that passed. */
export function commitMessage(
  title: string,
  summary: string,
  results: CheckResult[],
  criteria: CriterionVerdict[] = [],
): string {
  const subject = `mmm: ${title.replace(/\s+/g, ' ').trim()}`;
  const parts = [subject];
  const body = clipSummary(summary);
  if (body) parts.push(body);
  const evidence = criteriaBlock(criteria);
  if (evidence) parts.push(evidence);
  const passed = results.filter((r) => r.passed).map((r) => r.name);
  const preExisting = results.filter((r) => !r.passed).map((r) => r.name);
  if (passed.length) parts.push(`Checks passed: ${passed.join(', ')}.`);
  if (preExisting.length) {
    parts.push(
      `Failing before this work too (pre-existing, no new failure): ${preExisting.join(', ')}.`,
    );
  }
  // The summary is the model's text: never a secret value in a commit message.
  return redact(parts.join('\n\n'));
}

/** The spec id of review rounds in events and state (not a valid spec id, so no clash). */
export const REVIEW_SPEC_ID = '(review)';

/**
 * The review task: find the single most valuable improvement (in `focus` when given)
 * and write it as a spec file at `path`. Specs already written (done or failed) are
 * listed so that the review does not propose them again.
 */
export function reviewTask(args: {
  path: string;
  focus?: string;
  existing: Pick<Spec, 'id' | 'title' | 'status'>[];
  commands: ProjectCommand[];
}): { title: string; body: string } {
  const focus = args.focus?.trim();
  const existing = args.existing.length
    ? `\n\nAlready proposed (do not propose these again, or anything that overlaps them):\n${args.existing
        .map((s) => `- ${s.id}: ${s.title} (${s.status})`)
        .join('\n')}`
    : '';
  const checks = args.commands.length
    ? `The project's checks (${args.commands.map((c) => `\`${c.command}\``).join(', ')}) must pass after the work, so keep the change achievable in one focused session.`
    : 'Keep the change achievable in one focused session.';
  const body = `## Objective

Review this repository${focus ? ` with a focus on: ${focus}` : ''} and find the single most valuable improvement to make next: a real bug, a missing test for important behaviour, a confusing or fragile piece of code, a performance problem, a gap in error handling or documentation.${existing}

## Requirements

- Read the code first (view files, run the tests) to ground your proposal in what is actually there.
- Do not change any code. Your only output is one new spec file, created with the \`str_replace_based_edit_tool\` \`create\` command at exactly \`${args.path}\`.
- If nothing is worth doing${focus ? ' in this area' : ''}, create no file and say so in your summary.
- ${checks}

## Spec file format

\`\`\`markdown
---
title: <imperative title, under 70 characters>
status: ready
priority: <critical | high | medium | low>
category: <bugfix | feature | refactor | tests | docs | performance | security>
files: [<globs of the files the work will touch>]
---
# <the same title>

## Objective

<what will be better, and why it matters>

## Requirements

- <concrete, testable statements naming files, functions, commands and outputs>

## Acceptance Criteria

- [ ] <a verifiable criterion>
- [ ] <another one>
\`\`\``;
  return { title: focus ? `Review: ${focus}` : 'Review the project', body };
}
