import type { RunReport, SpecReport } from './model.js';
import {
  attemptLines,
  baselineLines,
  cell,
  code,
  costLine,
  criteriaLines,
  inline,
  specTable,
  usageLine,
} from './markdown-parts.js';
import { duration, headline, outcomeWord, short, statusIcon, tokens } from './units.js';

/** GitHub refuses a pull-request body over 65,536 characters; stay well under. */
export const PR_BODY_LIMIT = 60_000;

const bytes = (lines: string[]): number => Buffer.byteLength(lines.join('\n'), 'utf8') + 1;

/** One spec's section: criteria with their evidence, attempts, commits with trailers. */
function specSection(s: SpecReport): string[] {
  const out = [
    `<details${s.status === 'done' ? '' : ' open'}>`,
    `<summary>${statusIcon(s.status)} <b>${escapeHtml(s.id)}</b>: ${escapeHtml(s.title)} — ${s.status}, ${s.attempts.length} attempt${s.attempts.length === 1 ? '' : 's'}</summary>`,
    '',
  ];
  if (s.failure) out.push(`Failure: ${inline(s.failure)}`, '');
  if (s.criteria.length) out.push('Verification:', '', ...criteriaLines(s.criteria), '');
  for (const a of s.attempts) out.push(...attemptLines(a, { output: s.status !== 'done' }), '');
  const trailers = s.attempts.flatMap((a) => a.commit?.trailers ?? []);
  if (trailers.length) out.push(...['```', ...trailers.map(([k, v]) => `${k}: ${v}`), '```'], '');
  out.push('</details>', '');
  return out;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A pull-request body: summary table, cost, then one collapsible section per spec, as many
 * as fit in PR_BODY_LIMIT bytes; specs that do not fit get one line each, and past that
 * a count. Always under the limit.
 */
export function renderPrBody(r: RunReport, limit = PR_BODY_LIMIT): string {
  const t = r.totals;
  const head = [
    `## ${headline(r)}`,
    '',
    `Made by \`mmm improve\` (run \`${r.run.id}\`, branch \`${r.run.branch}\`${r.run.model ? `, ${r.run.model}` : ''}).`,
    '',
    `| Cost | Tokens | Iterations | Commits | Duration |`,
    `|--:|--:|--:|--:|--:|`,
    `| ${cell(costLine(r))} | ${tokens(t.tokens)} (${usageLine(t.usage)}) | ${t.iterations} | ${t.commits} | ${duration(r.run.durationMs)} |`,
    '',
  ];
  if (r.run.reason) head.push(`Stopped: ${inline(r.run.reason)}`, '');
  const tail = [
    '<details>',
    '<summary>Baseline (what already failed before the run)</summary>',
    '',
    ...baselineLines(r),
    '',
    '</details>',
    '',
    `<sub>Full report: \`mmm report ${r.run.id} --out report.html\`</sub>`,
  ];
  const out = [...head];
  // Running byte counts (each line costs its bytes and a newline): linear in the specs.
  let used = bytes(head);
  const tailBytes = bytes(tail);
  const add = (lines: string[], budget: number): boolean => {
    const size = bytes(lines);
    if (used + size + tailBytes > budget) return false;
    out.push(...lines);
    used += size;
    return true;
  };
  // The table alone may be too long for thousands of specs: keep the rows that fit in half.
  const table = specTable(r.specs);
  const tableBudget = used + tailBytes + (limit - used - tailBytes) / 2;
  let rows = 0;
  for (const row of table) {
    if (!add([row], tableBudget)) break;
    rows++;
  }
  if (rows < table.length) {
    add(['', `… and ${table.length - rows} more specs (see the full report).`], limit);
  }
  add(['', '### Specs', ''], limit);
  let left = r.specs.length;
  let index = 0;
  for (; index < r.specs.length; index++) {
    if (!add(specSection(r.specs[index] as SpecReport), limit - 1_000)) break;
    left--;
  }
  for (; index < r.specs.length; index++) {
    const s = r.specs[index] as SpecReport;
    const attempts = s.attempts.map((a) => outcomeWord(a.outcome)).join(', ');
    const line = `- ${statusIcon(s.status)} ${code(s.id)} ${s.status}${s.commit ? ` in ${code(short(s.commit))}` : ''}${attempts ? ` (${attempts})` : ''}`;
    if (!add([line], limit - 200)) break;
    left--;
  }
  if (left > 0) out.push('', `… ${left} more specs: see the full report.`);
  out.push('', ...tail);
  return out.join('\n') + '\n';
}
