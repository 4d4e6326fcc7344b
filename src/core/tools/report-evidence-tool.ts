import { z } from 'zod';
import type { AgentTool, ToolOutcome } from './types.js';

/**
 * `report_evidence`: the model names, per acceptance criterion of its task, the tests (or
 * checks) that prove it. Nothing is believed here: the reports are recorded in the
 * attempt's evidence sink, and after validation mmm ticks a criterion only when every
 * named test exists in the results and passed (core/verdict/evidence.ts).
 */
export const REPORT_EVIDENCE_TOOL_NAME = 'report_evidence';

export interface EvidenceReport {
  /** 1-based, in the order of the spec's acceptance criteria. */
  criterion: number;
  tests: string[];
  note?: string;
}

/** Where an attempt's reports go; set on the tool context for the attempt's agent step. */
export interface EvidenceSink {
  /** The task's acceptance criteria, in order (criterion n is `criteria[n - 1]`). */
  criteria: { text: string; hasCheck: boolean }[];
  /** The latest report per criterion. */
  reports: EvidenceReport[];
}

const itemSchema = z.object({
  criterion: z.number().int().min(1),
  tests: z.array(z.string().trim().min(1)).min(1),
  note: z.string().optional(),
});

const inputSchema = z.union([itemSchema, z.object({ evidence: z.array(itemSchema).min(1) })]);

const DESCRIPTION = `Report which tests prove an acceptance criterion of your task, before you end your turn. Criteria are numbered from 1 in the order of the task's "Acceptance Criteria" list.
- One criterion: {"criterion": 1, "tests": ["adds two numbers"], "note": "optional"}; several at once: {"evidence": [{"criterion": 1, "tests": [...]}, ...]}.
- Name tests as the test runner reports them: the test's full name ("add > adds two numbers") or its file and name ("test/add.test.js > adds two numbers"). A check of the task (e.g. "run: node scripts/check.mjs") can be named too.
- mmm runs the checks after your turn and ticks a criterion in the spec only if every test you named exists in the results and passed. A named test that fails contradicts the criterion and the attempt is rejected. Reporting a criterion again replaces its earlier report.`;

function fail(content: string): ToolOutcome {
  return { content, isError: true, display: 'report_evidence: refused' };
}

export function createReportEvidenceTool(): AgentTool {
  const custom = {
    name: REPORT_EVIDENCE_TOOL_NAME,
    description: DESCRIPTION,
    input_schema: {
      type: 'object' as const,
      properties: {
        criterion: {
          type: 'integer',
          minimum: 1,
          description: 'The criterion number (1 = the first acceptance criterion).',
        },
        tests: {
          type: 'array',
          items: { type: 'string' },
          description: 'Names of the tests (or checks) that prove it.',
        },
        note: { type: 'string', description: 'Optional: how they prove it.' },
        evidence: {
          type: 'array',
          description: 'Several reports at once, each {criterion, tests, note?}.',
          items: {
            type: 'object',
            properties: {
              criterion: { type: 'integer', minimum: 1 },
              tests: { type: 'array', items: { type: 'string' } },
              note: { type: 'string' },
            },
            required: ['criterion', 'tests'],
          },
        },
      },
    },
  };
  return {
    name: REPORT_EVIDENCE_TOOL_NAME,
    declaration: { anthropic: custom, custom },
    summarize(input) {
      const parsed = inputSchema.safeParse(input);
      if (!parsed.success) return 'report_evidence (invalid input)';
      const items = 'evidence' in parsed.data ? parsed.data.evidence : [parsed.data];
      return `report_evidence: criteria ${items.map((i) => i.criterion).join(', ')}`;
    },
    run(input, ctx) {
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
      const parsed = inputSchema.safeParse(input);
      if (!parsed.success) {
        return Promise.resolve(
          fail(
            'Invalid input for report_evidence. Expected {"criterion": <number>, "tests": ["<test name>", ...], "note": "..."} ' +
              'or {"evidence": [{"criterion": ..., "tests": [...]}, ...]} with at least one test name per criterion.',
          ),
        );
      }
      const items = 'evidence' in parsed.data ? parsed.data.evidence : [parsed.data];
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
        display: `report_evidence: criteria ${items.map((i) => i.criterion).join(', ')}`,
      });
    },
  };
}
