import { z } from 'zod';
import { defineTool } from './define-tool.js';
import type { AgentTool, EvidenceReport, ToolOutcome } from './types.js';

/**
 * `report_evidence`: the model names, per acceptance criterion of its task, the tests (or
 * checks) that prove it. Nothing is believed here: the reports are recorded in the
 * attempt's evidence sink, and after validation mmm ticks a criterion only when every
 * named test exists in the results and passed (core/verdict/evidence.ts).
 */
export const REPORT_EVIDENCE_TOOL_NAME = 'report_evidence';

const criterion = z.number().int().min(1);
const tests = z.array(z.string().trim().min(1)).min(1);

const itemSchema = z.object({ criterion, tests, note: z.string().optional() });

/**
 * One report (`criterion`, `tests`, `note`) or several (`evidence`), or both. One object
 * with optional fields rather than a union: the API wants an object schema at the top.
 */
const inputSchema = z
  .object({
    criterion: criterion
      .optional()
      .describe('The criterion number (1 = the first acceptance criterion).'),
    tests: tests.optional().describe('Names of the tests (or checks) that prove it.'),
    note: z.string().optional().describe('Optional: how they prove it.'),
    evidence: z
      .array(itemSchema)
      .min(1)
      .optional()
      .describe('Several reports at once, each {criterion, tests, note?}.'),
  })
  .superRefine((input, ctx) => {
    const single = input.criterion !== undefined || input.tests !== undefined;
    if (!single && input.evidence === undefined) {
      ctx.addIssue({ code: 'custom', message: 'Give criterion and tests, or evidence.' });
    } else if (single && input.criterion === undefined) {
      const message = 'Give the number of the criterion these tests prove.';
      ctx.addIssue({ code: 'custom', path: ['criterion'], message });
    } else if (single && input.tests === undefined) {
      const message = 'Give the tests that prove this criterion.';
      ctx.addIssue({ code: 'custom', path: ['tests'], message });
    }
  });

type Input = z.output<typeof inputSchema>;

/** The reports of a call, in the order given; the schema guarantees at least one. */
function itemsOf(input: Input): EvidenceReport[] {
  const items: EvidenceReport[] = [];
  if (input.criterion !== undefined && input.tests !== undefined) {
    items.push({
      criterion: input.criterion,
      tests: input.tests,
      ...(input.note === undefined ? {} : { note: input.note }),
    });
  }
  return [...items, ...(input.evidence ?? [])];
}

const DESCRIPTION = `Report which tests prove an acceptance criterion of your task, before you end your turn. Criteria are numbered from 1 in the order of the task's "Acceptance Criteria" list.
- One criterion: {"criterion": 1, "tests": ["adds two numbers"], "note": "optional"}; several at once: {"evidence": [{"criterion": 1, "tests": [...]}, ...]}.
- Name tests as the test runner reports them: the test's full name ("add > adds two numbers") or its file and name ("test/add.test.js > adds two numbers"). A check of the task (e.g. "run: node scripts/check.mjs") can be named too.
- mmm runs the checks after your turn and ticks a criterion in the spec only if every test you named exists in the results and passed. A named test that fails contradicts the criterion and the attempt is rejected. Reporting a criterion again replaces its earlier report.`;

function fail(content: string): ToolOutcome {
  return { content, isError: true, display: 'report_evidence: refused' };
}

function criteriaOf(items: readonly EvidenceReport[]): string {
  return `criteria ${items.map((i) => i.criterion).join(', ')}`;
}

export function createReportEvidenceTool(): AgentTool {
  return defineTool({
    name: REPORT_EVIDENCE_TOOL_NAME,
    description: DESCRIPTION,
    schema: inputSchema,
    expected:
      'Expected {"criterion": <number>, "tests": ["<test name>", ...], "note": "..."} ' +
      'or {"evidence": [{"criterion": ..., "tests": [...]}, ...]} with at least one test name per criterion.',
    onFailure: 'Nothing was recorded; report again.',
    summarize: (input) => `report_evidence: ${criteriaOf(itemsOf(input))}`,
    execute(input, ctx) {
      const sink = ctx.evidence;
      if (!sink) {
        return Promise.resolve(
          fail('There is no task with acceptance criteria in this session: nothing to report.'),
        );
      }
      if (sink.criteria.length === 0) {
        return Promise.resolve(
          fail('This task has no acceptance criteria, so there is no evidence to report.'),
        );
      }
      const items = itemsOf(input);
      const outOfRange = items.filter((i) => i.criterion > sink.criteria.length);
      if (outOfRange.length) {
        const list = sink.criteria.map((c, i) => `${i + 1}. ${c.text}`).join('\n');
        return Promise.resolve(
          fail(
            `No criterion ${outOfRange.map((i) => i.criterion).join(', ')}: the task has ${sink.criteria.length}:\n${list}\nNothing was recorded.`,
          ),
        );
      }
      const lines: string[] = [];
      for (const item of items) {
        const report: EvidenceReport = { criterion: item.criterion, tests: item.tests };
        if (item.note?.trim()) report.note = item.note.trim();
        const at = sink.reports.findIndex((r) => r.criterion === item.criterion);
        if (at >= 0) sink.reports[at] = report;
        else sink.reports.push(report);
        const text = sink.criteria[item.criterion - 1]?.text ?? '';
        lines.push(`- criterion ${item.criterion} (${text}): ${item.tests.join('; ')}`);
      }
      return Promise.resolve({
        content: `Recorded:\n${lines.join('\n')}\nmmm verifies these against the validation results after your turn.`,
        isError: false,
        display: `report_evidence: ${criteriaOf(items)}`,
      });
    },
  });
}
