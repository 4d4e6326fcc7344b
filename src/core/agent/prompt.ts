import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Files with the repository's own instructions for coding agents, in reading order. */
export const AGENT_NOTE_FILES = ['CLAUDE.md', 'AGENTS.md', '.claude/CLAUDE.md'];

/** Upper bound on the agent notes put into the prompt (characters). */
export const AGENT_NOTES_LIMIT = 16_000;

export interface PromptParts {
  analysisSummary?: string;
  agentNotes?: string;
  spec: { id: string; title: string; body: string; file: string };
  checks: string[];
  previousAttempts: { attempt: number; summary: string; feedback: string }[];
  extraRules?: string[];
  /** The spec's acceptance criteria, for report_evidence (numbered from 1). */
  criteria?: { text: string; done: boolean; check?: string }[];
  /** Config validate.require_evidence: every criterion needs verified evidence. */
  requireEvidence?: boolean;
  /** Paths this task may not change beyond the general rules (check scripts, protect globs). */
  protectedFiles?: string[];
  /** Failures on the run branch before any attempt (the baseline): not the task. */
  preExisting?: string[];
}

/** The criteria and how to prove them (core/verdict/evidence.ts checks the proofs). */
function criteriaSection(
  criteria: NonNullable<PromptParts['criteria']>,
  requireEvidence: boolean,
): string | undefined {
  if (!criteria.some((c) => !c.done)) return undefined;
  const list = criteria
    .map((c, i) => {
      const extra = c.done
        ? ' (already ticked)'
        : c.check
          ? ` (proved by its own check \`${c.check}\`)`
          : '';
      return `${i + 1}. ${c.text}${extra}`;
    })
    .join('\n');
  const rule = requireEvidence
    ? 'Every criterion needs verified evidence: the attempt is rejected otherwise.'
    : 'Criteria without verified evidence stay unticked and are reported as unverified.';
  return `Acceptance criteria, numbered for report_evidence:\n${list}\nmmm ticks a criterion in the spec only with evidence it can verify: before you end your turn, call report_evidence for each criterion with the tests that prove it (write them if none exist), named as the test runner reports them. A criterion whose named test fails is contradicted and the attempt is rejected. ${rule}`;
}

/** Where the task part of a system prompt starts: everything before it is stable. */
export const TASK_SECTION_START = '\n\n<task ';

const ROLE = `You are mmm, an autonomous software engineer working in a git repository on one task at a time. Nobody is watching: do not ask questions, make reasonable decisions and keep going until the task is done.

Rules:
- Work only through the tools: \`str_replace_based_edit_tool\` to view and edit files, \`bash\` to run commands. Paths are relative to the repository root.
- Read the relevant code before changing it. Make the smallest change that fully does the task, in the project's existing style.
- Run the project's tests, linters and type checker yourself and fix what fails before you finish.
- Do not commit, push, reset, rebase, stash or switch branches: mmm owns git and commits your work when its checks pass.
- Do not touch files outside the repository, secrets or the .git directory. Commands run non-interactively with a timeout: never start servers or watchers that do not exit.
- When you are done, end your turn with a short summary: what you changed, how you verified it, and anything left open.`;

/** The integrity guard's rules (core/verdict/guard.ts), so that honest work never trips them. */
const INTEGRITY_RULES = `Integrity rules (mmm rolls back any attempt that breaks one):
- Never delete or empty a test file, and never add skip, only or todo markers to tests (\`.skip\`, \`.only\`, \`xit\`, \`@pytest.mark.skip\`, \`t.Skip\`, \`#[ignore]\`, \`@Disabled\`, …). If a test is wrong, say so in your summary.
- Do not change the files the checks run (such as a check script named in a check command), CI definitions (\`.github/workflows/\` and the like), \`.mmm/\`, the task's spec file or any other spec file: mmm updates the spec itself, and the other specs are later tasks, judged by their own checks.
- Never remove a test's assertions or replace them with ones that cannot fail (\`expect(true).toBe(true)\`, \`assert True\`), and never add lint or type-check suppressions (\`eslint-disable\`, \`@ts-ignore\`, \`# noqa\`, \`# type: ignore\`, \`//nolint\`, \`#[allow(…)]\`, …): fix the finding instead.
- Do not change how the checks are run or configured: the scripts and Makefile targets the check commands run, and the test runner's, linter's and type checker's configuration (\`vitest.config.*\`, \`jest.config.*\`, \`eslint.config.*\`, \`tsconfig*.json\`, \`pytest.ini\`, the \`[tool.pytest…]\`, \`[tool.ruff…]\` and \`[tool.mypy]\` tables of pyproject.toml, …). If one must change for the task, say so in your summary.`;

/** How mmm judges an attempt (core/verdict), so that honest work never trips it. */
const VERDICT_RULES = `How mmm judges your work: it ran the project's checks before you started (the baseline) and compares.
- No test that passed before may fail, disappear or become skipped, the number of passing tests may not drop, and lint or type errors may not grow.
- Failures that existed before you started are listed as pre-existing: they are not your task and never count against you; leave them alone unless the task is about them.`;

/**
 * The system prompt of an attempt. The stable part (role, rules, project summary, agent
 * notes) comes first so that it is served from the prompt cache across attempts; the
 * task, its checks and the history of earlier attempts follow.
 */
export function buildSystemPrompt(parts: PromptParts): string {
  const sections: string[] = [ROLE, VERDICT_RULES, INTEGRITY_RULES];
  if (parts.extraRules?.length) {
    sections.push(`Project rules:\n${parts.extraRules.map((r) => `- ${r}`).join('\n')}`);
  }
  if (parts.analysisSummary?.trim()) {
    sections.push(`<project>\n${parts.analysisSummary.trim()}\n</project>`);
  }
  if (parts.agentNotes?.trim()) {
    sections.push(
      `The repository's own notes for coding agents (follow them unless they conflict with the rules above):\n<agent_notes>\n${parts.agentNotes.trim()}\n</agent_notes>`,
    );
  }
  if (parts.preExisting?.length) {
    const shown = parts.preExisting.slice(0, 20);
    const more = parts.preExisting.length - shown.length;
    sections.push(
      `Already failing before you started (pre-existing; not your task):\n<pre_existing>\n${shown.map((l) => `- ${l}`).join('\n')}${more > 0 ? `\n- … and ${more} more` : ''}\n</pre_existing>`,
    );
  }
  const { spec } = parts;
  const body = spec.body.trim();
  // Spec bodies usually start with their own `# Title`; do not repeat it.
  const heading = /^#\s/.test(body) ? '' : `# ${spec.title}\n\n`;
  sections.push(`<task id="${spec.id}" file="${spec.file}">\n${heading}${body}\n</task>`);
  if (parts.checks.length) {
    sections.push(
      `mmm accepts the work only if all of these pass after your turn:\n${parts.checks
        .map((c) => `- ${c}`)
        .join('\n')}`,
    );
  }
  if (parts.protectedFiles?.length) {
    sections.push(
      `Protected for this task (mmm rolls back any change to them): ${parts.protectedFiles.map((p) => `\`${p}\``).join(', ')}.`,
    );
  }
  const criteria = criteriaSection(parts.criteria ?? [], parts.requireEvidence === true);
  if (criteria) sections.push(criteria);
  if (parts.previousAttempts.length) {
    const attempts = parts.previousAttempts
      .map(
        (a) =>
          `<attempt number="${a.attempt}">\nWhat it did: ${a.summary.trim() || '(no summary)'}\nWhy it was rejected: ${a.feedback.trim() || '(no details)'}\n</attempt>`,
      )
      .join('\n');
    sections.push(
      `Earlier attempts at this task were rolled back. Do not repeat what failed:\n${attempts}`,
    );
  }
  return sections.join('\n\n');
}

/** The first user message: points at the task in the system prompt. */
export function taskMessage(spec: { id: string; title: string }): string {
  return `Do task ${spec.id}: ${spec.title}. Follow the task description and the rules in your instructions, verify your work with the project's own checks, then end your turn with a summary.`;
}

/**
 * CLAUDE.md / AGENTS.md contents of `root`, each headed by its file name, cut to
 * AGENT_NOTES_LIMIT characters in total; undefined when there are none.
 */
export async function readAgentNotes(
  root: string,
  limit = AGENT_NOTES_LIMIT,
): Promise<string | undefined> {
  const parts: string[] = [];
  let used = 0;
  for (const name of AGENT_NOTE_FILES) {
    let text: string;
    try {
      text = (await readFile(join(root, name), 'utf8')).trim();
    } catch {
      continue;
    }
    if (!text) continue;
    const room = limit - used;
    if (room <= 0) break;
    const body =
      text.length > room
        ? `${text.slice(0, room)}\n[… ${name} truncated at ${room} characters]`
        : text;
    parts.push(`## ${name}\n${body}`);
    used += Math.min(text.length, room);
  }
  return parts.length ? parts.join('\n\n') : undefined;
}
