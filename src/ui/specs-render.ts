import { numberLabel, type Spec, type SpecCheck, type SpecStatus } from '../core/specs/model.js';
import { color } from './colors.js';
import { table } from './table.js';

/** Plain-text and DOT renderings of specs for `mmm specs …`. */

const STATUS_COLOR: Record<SpecStatus, (s: string) => string> = {
  draft: color.dim,
  ready: color.cyan,
  'in-progress': color.yellow,
  done: color.green,
  failed: color.red,
  blocked: color.magenta,
};

export function paintStatus(status: SpecStatus): string {
  return STATUS_COLOR[status](status);
}

export function criteriaCount(spec: Spec): { done: number; total: number } {
  return { done: spec.criteria.filter((c) => c.done).length, total: spec.criteria.length };
}

/** The aligned table of `mmm specs`, specs already in work order. */
export function renderSpecTable(specs: Spec[]): string {
  const rows = specs.map((s) => {
    const { done, total } = criteriaCount(s);
    return [
      color.bold(s.id),
      s.title,
      paintStatus(s.status),
      s.priority,
      s.dependsOn.length ? s.dependsOn.join(', ') : '-',
      total ? `${done}/${total}` : '-',
    ];
  });
  return table(rows, {
    header: ['ID', 'TITLE', 'STATUS', 'PRIORITY', 'DEPENDS ON', 'CRITERIA'].map((h) =>
      color.dim(h),
    ),
  });
}

/** One line summary under the table: `5 specs: 2 done, 3 ready`. */
export function renderStatusSummary(specs: Spec[]): string {
  const counts = new Map<SpecStatus, number>();
  for (const s of specs) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  const parts = [...counts].map(([status, n]) => `${n} ${status}`);
  return `${specs.length} spec${specs.length === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

export function describeCheck(check: SpecCheck): string {
  switch (check.kind) {
    case 'run': {
      const extra = [
        check.expectExit !== 0 ? `expect exit ${check.expectExit}` : '',
        check.timeout !== undefined ? `timeout ${check.timeout}s` : '',
      ].filter(Boolean);
      return `run: ${check.run}${extra.length ? `  (${extra.join(', ')})` : ''}`;
    }
    case 'file_exists':
      return `file_exists: ${check.path}`;
    case 'file_contains':
      return `file_contains: ${check.path} =~ /${check.pattern}/`;
    case 'expr':
      return `expr: ${check.expr}`;
  }
}

/** `mmm specs show <id>`. `statusOf` gives the status of other specs, for dependencies. */
export function renderSpecDetail(
  spec: Spec,
  dependents: string[],
  statusOf: (id: string) => SpecStatus | undefined,
): string {
  const { done, total } = criteriaCount(spec);
  const deps = spec.dependsOn.map((d) => {
    const status = statusOf(d);
    return status ? `${d} (${paintStatus(status)})` : d;
  });
  const budget = spec.budget
    ? [
        spec.budget.usd !== undefined ? `$${spec.budget.usd.toFixed(2)}` : '',
        spec.budget.tokens !== undefined ? `${spec.budget.tokens} tokens` : '',
      ]
        .filter(Boolean)
        .join(', ')
    : '';
  const fields: [string, string][] = [
    ['file', spec.file],
    ['read from', spec.sources && spec.sources.length > 1 ? spec.sources.join(', ') : ''],
    ['status', paintStatus(spec.status)],
    ['priority', spec.priority],
    ['category', spec.category ?? ''],
    ['number', numberLabel(spec) ?? ''],
    ['depends on', deps.join(', ') || '-'],
    ['dependents', dependents.join(', ') || '-'],
    ['files', spec.files.join(', ')],
    ['max attempts', spec.maxAttempts !== undefined ? String(spec.maxAttempts) : ''],
    ['budget', budget],
  ];
  const lines = [`${color.bold(spec.id)} — ${spec.title}`, ''];
  lines.push(
    table(
      fields.filter(([, v]) => v !== '').map(([k, v]) => [color.dim(`${k}:`), v]),
      { gap: 1 },
    ),
  );
  if (spec.checks.length) {
    lines.push('', color.dim('checks:'));
    for (const check of spec.checks) lines.push(`  ${describeCheck(check)}`);
  }
  lines.push('', color.dim(`acceptance criteria: ${done}/${total}`));
  for (const c of spec.criteria) lines.push(`  ${c.done ? color.green('[x]') : '[ ]'} ${c.text}`);
  const objective = Object.entries(spec.sections).find(([k]) => /^objective$/i.test(k.trim()));
  if (objective?.[1]) lines.push('', color.dim('objective:'), indent(objective[1]));
  const names = Object.keys(spec.sections);
  if (names.length) lines.push('', color.dim(`sections: ${names.join(', ')}`));
  return lines.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');
}

/**
 * A tree from the specs nothing depends on down to their dependents. A spec with several
 * dependencies appears under each; after its first appearance it is marked "(see above)".
 */
export function renderSpecTree(ordered: Spec[]): string {
  const byId = new Map(ordered.map((s) => [s.id, s]));
  const dependents = new Map<string, Spec[]>();
  for (const s of ordered) {
    for (const d of s.dependsOn) dependents.set(d, [...(dependents.get(d) ?? []), s]);
  }
  const roots = ordered.filter((s) => s.dependsOn.every((d) => !byId.has(d)));
  const seen = new Set<string>();
  const out: string[] = [];
  const label = (s: Spec): string => `${color.bold(s.id)}  ${s.title}  [${paintStatus(s.status)}]`;
  const visit = (spec: Spec, prefix: string, connector: string, childPrefix: string): void => {
    if (seen.has(spec.id)) {
      out.push(`${prefix}${connector}${spec.id} ${color.dim('(see above)')}`);
      return;
    }
    seen.add(spec.id);
    out.push(`${prefix}${connector}${label(spec)}`);
    const children = dependents.get(spec.id) ?? [];
    children.forEach((child, i) => {
      const last = i === children.length - 1;
      visit(child, prefix + childPrefix, last ? '└── ' : '├── ', last ? '    ' : '│   ');
    });
  };
  for (const root of roots) visit(root, '', '', '');
  for (const s of ordered) if (!seen.has(s.id)) visit(s, '', '', '');
  return out.join('\n');
}

function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

const DOT_FILL: Record<SpecStatus, string> = {
  draft: '#eeeeee',
  ready: '#dbeafe',
  'in-progress': '#fef3c7',
  done: '#dcfce7',
  failed: '#fee2e2',
  blocked: '#f3e8ff',
};

/** Graphviz DOT: an edge from each dependency to the spec that needs it. */
export function renderSpecDot(ordered: Spec[]): string {
  const ids = new Set(ordered.map((s) => s.id));
  const lines = [
    'digraph specs {',
    '  rankdir=LR;',
    '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
  ];
  for (const s of ordered) {
    lines.push(
      `  ${dotString(s.id)} [label=${dotString(`${s.id}\n${s.title}\n(${s.status})`)}, fillcolor=${dotString(DOT_FILL[s.status])}];`,
    );
  }
  for (const s of ordered) {
    for (const d of s.dependsOn)
      if (ids.has(d)) lines.push(`  ${dotString(d)} -> ${dotString(s.id)};`);
  }
  lines.push('}');
  return lines.join('\n');
}
