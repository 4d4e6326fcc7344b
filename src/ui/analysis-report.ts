import { COMMAND_NAMES, type Analysis, type Verification } from '../core/analyze/types.js';
import { color } from './colors.js';
import { table } from './table.js';

/** The human report of `mmm analyze`: compact, aligned, colored only on a TTY. */
const n = (x: number) => x.toLocaleString('en-US');
const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
/** `1 file`, `2 files`, `1,204 lines`. */
const count = (x: number, word: string) => `${n(x)} ${word}${x === 1 ? '' : 's'}`;

export function formatAnalysisReport(a: Analysis): string {
  const out: string[] = [];
  out.push(`${color.bold('mmm analyze')} ${a.root}${a.cached ? color.dim('  (cached)') : ''}`);
  const overview: string[][] = [
    ['files', `${n(a.files)}`],
    ['primary', a.primaryLanguage ?? color.dim('unknown')],
    ['managers', a.packageManagers.join(', ') || color.dim('none detected')],
    ['frameworks', a.frameworks.join(', ') || color.dim('none detected')],
    ['ci', a.ci.join(', ') || color.dim('none')],
    ['tests', `${count(a.tests.files, 'test file')} · ${a.tests.ratio} per source file`],
    ['todos', `${n(a.todos)} TODO/FIXME/HACK`],
  ];
  if (a.git) {
    const g = a.git;
    overview.push([
      'git',
      `${g.branch ?? 'detached'}${g.head ? ` @ ${g.head.slice(0, 7)}` : ''} · ${g.commitsCapped ? `${n(g.commits)}+ commits` : count(g.commits, 'commit')} · ${n(g.dirtyFiles)} uncommitted`,
    ]);
  } else {
    overview.push(['git', color.dim('not a git repository')]);
  }
  for (const w of a.workspaces) overview.push([`${w.tool} ws`, packagesLine(w.packages)]);
  out.push(indent(table(overview.map(([k, v]) => [color.dim(k ?? ''), v ?? '']))));

  out.push('', color.bold('Commands'));
  const commandRows: string[][] = [];
  const details: string[] = [];
  for (const name of COMMAND_NAMES) {
    const src = a.commandSources[name];
    const cmd = a.commands[name];
    if (!cmd) {
      commandRows.push([name, color.dim('—'), color.dim('not detected')]);
      continue;
    }
    const confidence = src?.confidence ?? (src?.sure === false ? 'guess' : 'conventional');
    const paint =
      confidence === 'verified' ? color.green : confidence === 'guess' ? color.yellow : color.cyan;
    const lines = (src?.evidence ?? []).filter((e) => e.line !== undefined);
    const where = lines.length ? ` (${lines.map((e) => `${e.file}:${e.line}`).join(', ')})` : '';
    commandRows.push([name, paint(cmd), color.dim(`${src?.source ?? ''}${where} · ${confidence}`)]);
    // Verification and notes go under the table: a long hint must not widen its columns.
    const v = src?.verification;
    if (v) details.push(`  ${name}: ${verificationLine(v)}`);
    for (const note of src?.notes ?? []) details.push(color.dim(`  ${name}: ↳ ${note}`));
  }
  out.push(indent(table(commandRows)));
  if (details.length) out.push(...details.map((d) => `  ${d}`));

  if (a.languages.length) {
    out.push('', color.bold('Languages'));
    const rows = a.languages
      .slice(0, 8)
      .map((l) => [l.name, count(l.files, 'file'), count(l.lines, 'line'), pct(l.share)]);
    if (a.languages.length > 8)
      rows.push([color.dim(`+${a.languages.length - 8} more`), '', '', '']);
    out.push(indent(table(rows)));
  }
  if (a.largestFiles.length) {
    out.push('', color.bold('Largest files'));
    out.push(
      indent(table(a.largestFiles.slice(0, 5).map((f) => [f.path, count(f.lines, 'line')]))),
    );
  }
  if (a.git?.hotspots.length) {
    out.push('', color.bold('Churn hotspots') + color.dim(' (last 500 commits)'));
    out.push(
      indent(table(a.git.hotspots.slice(0, 5).map((h) => [h.path, count(h.changes, 'change')]))),
    );
  }
  if (a.warnings.length) {
    out.push('');
    for (const w of a.warnings) out.push(`${color.yellow('warning:')} ${w}`);
  }
  return out.join('\n') + '\n';
}

/** A workspace's packages on one line of bounded length: a large monorepo has thousands. */
export function packagesLine(packages: readonly string[], limit = 100): string {
  const shown: string[] = [];
  let length = 0;
  for (const p of packages) {
    if (shown.length > 0 && length + p.length + 2 > limit) break;
    shown.push(p);
    length += p.length + 2;
  }
  const rest = packages.length - shown.length;
  return `${count(packages.length, 'package')}: ${shown.join(', ')}${rest > 0 ? `, … (+${n(rest)} more)` : ''}`;
}

/** One stderr line per verified command: "verify test: npm test …" then its outcome. */
export function verifyProgressLine(e: {
  name: string;
  command: string;
  result?: Verification;
}): string {
  if (!e.result) return color.dim(`verify ${e.name}: ${e.command}\n`);
  return `  ${verificationLine(e.result)}\n`;
}

export function verificationLine(v: Verification): string {
  const secs = `${(v.durationMs / 1000).toFixed(1)} s`;
  switch (v.status) {
    case 'passes':
      return color.green(
        `✓ runs and passes${v.tests ? ` (${count(v.tests, 'test')})` : ''} · ${secs}`,
      );
    case 'fails':
      return color.yellow(
        `✗ runs and fails${v.failures !== undefined ? ` (${count(v.failures, 'failure')})` : ''} · exit ${v.exitCode ?? '?'} · ${secs}`,
      );
    case 'timed-out':
      return color.yellow(`… timed out after ${secs}`);
    case 'cannot-run':
      return color.red(`✗ cannot run (exit ${v.exitCode ?? '?'})${v.hint ? `: ${v.hint}` : ''}`);
  }
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
