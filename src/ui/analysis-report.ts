import { COMMAND_NAMES, type Analysis } from '../core/analyze/types.js';
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
      `${g.branch ?? 'detached'}${g.head ? ` @ ${g.head.slice(0, 7)}` : ''} · ${count(g.commits, 'commit')} · ${n(g.dirtyFiles)} uncommitted`,
    ]);
  } else {
    overview.push(['git', color.dim('not a git repository')]);
  }
  for (const w of a.workspaces) overview.push([`${w.tool} ws`, w.packages.join(', ')]);
  out.push(indent(table(overview.map(([k, v]) => [color.dim(k ?? ''), v ?? '']))));

  out.push('', color.bold('Commands'));
  const commandRows = COMMAND_NAMES.map((name) => {
    const src = a.commandSources[name];
    const cmd = a.commands[name];
    if (!cmd) return [name, color.dim('—'), color.dim('not detected')];
    const note = src ? `${src.source}${src.sure ? '' : ' · guess'}` : '';
    return [name, src && !src.sure ? color.yellow(cmd) : color.cyan(cmd), color.dim(note)];
  });
  out.push(indent(table(commandRows)));

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

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
