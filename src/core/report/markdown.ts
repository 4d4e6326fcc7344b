import type { RunReport } from './model.js';
import {
  attemptLines,
  baselineLines,
  criteriaLines,
  factsTable,
  fenced,
  inline,
  specTable,
} from './markdown-parts.js';
import { headline, NOT_RECORDED, statusIcon } from './units.js';

/** The report as GitHub-flavoured markdown: facts, baseline, specs, every attempt. */
export function renderMarkdown(r: RunReport): string {
  const out: string[] = [`# mmm run ${r.run.id} — ${headline(r)}`, '', ...factsTable(r), ''];
  if (!r.eventsRecorded) {
    out.push(
      `> The run's event log is missing: time splits and verdict details are ${NOT_RECORDED}.`,
      '',
    );
  }
  out.push('## Baseline', '', ...baselineLines(r), '');
  out.push('## Specs', '');
  if (r.specs.length) out.push(...specTable(r.specs), '');
  else out.push('No specs in this run.', '');
  for (const s of r.specs) {
    out.push(`### ${statusIcon(s.status)} ${inline(s.id)}: ${inline(s.title)}`, '');
    out.push(
      `${s.status} · ${s.attempts.length} attempt${s.attempts.length === 1 ? '' : 's'} · spec file \`${s.file}\``,
    );
    if (s.failure) out.push('', `Failure: ${inline(s.failure)}`);
    if (s.criteria.length) out.push('', 'Acceptance criteria:', '', ...criteriaLines(s.criteria));
    if (s.unverified.length) {
      out.push('', `Left unticked for want of evidence: ${s.unverified.map(inline).join('; ')}`);
    }
    for (const a of s.attempts) out.push('', ...attemptLines(a, { output: true }));
    out.push('');
  }
  const orphans = r.attempts.filter((a) => !r.specs.some((s) => s.id === a.specId));
  if (orphans.length) {
    out.push('### Other attempts', '');
    for (const a of orphans)
      out.push(`${inline(a.specId)}:`, '', ...attemptLines(a, { output: true }), '');
  }
  if (r.warnings.length) {
    out.push('## Warnings', '');
    for (const w of r.warnings) out.push(`- ${inline(w)}`);
    out.push('');
  }
  if (r.next.length) out.push('## Next', '', ...fenced(r.next, 'sh'), '');
  return out.join('\n');
}
