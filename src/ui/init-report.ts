import { COMMAND_NAMES } from '../core/analyze/types.js';
import type { InitResult } from '../core/init/init.js';
import { verificationLine } from './analysis-report.js';
import { color } from './colors.js';
import { table } from './table.js';

/** What `mmm init` did, one line per file, then the detected commands and next steps. */
export function formatInitResult(r: InitResult): string {
  const out: string[] = [];
  if (r.unchanged) {
    out.push(`${color.green('✓')} mmm is already set up in ${r.root}: nothing changed.`);
  } else {
    out.push(`${color.green('✓')} mmm set up in ${r.root}`);
  }
  const mark = {
    created: color.green('created'),
    overwritten: color.yellow('overwritten'),
    updated: color.green('updated'),
    kept: color.dim('kept'),
  };
  out.push(table(r.steps.map((s) => [`  ${mark[s.action]}`, s.path, color.dim(s.detail ?? '')])));
  if (!r.unchanged) {
    out.push('', 'Detected commands (edit .mmm/config.toml to change them):');
    out.push(
      table(
        COMMAND_NAMES.map((name) => {
          const src = r.analysis.commandSources[name];
          const cmd = r.analysis.commands[name];
          if (!cmd) return [`  ${name}`, color.dim('not detected')];
          const v = src?.verification;
          if (v?.status === 'cannot-run')
            return [
              `  ${name}`,
              `${cmd} ${color.red(`(cannot run, commented out${v.hint ? `: ${v.hint}` : ''})`)}`,
            ];
          if (src?.confidence === 'guess')
            return [`  ${name}`, `${cmd} ${color.yellow('(guess, commented out)')}`];
          return [`  ${name}`, v ? `${cmd} ${color.dim(`(${verificationLine(v).trim()})`)}` : cmd];
        }),
      ),
    );
    if (!r.analysis.verified)
      out.push(
        color.dim(
          '  Prove them: `mmm analyze --verify` runs each one in a temporary worktree (or `mmm init --verify --force`).',
        ),
      );
    // Manifest problems change what was detected; git-history gaps do not matter here.
    const relevant = r.analysis.warnings.filter((w) => !w.includes('no commits yet'));
    if (relevant.length) out.push('');
    for (const w of relevant) out.push(`${color.yellow('warning:')} ${w}`);
    // Name the example spec only when this run wrote it.
    const example = r.steps.find(
      (s) =>
        s.path.startsWith('specs/') &&
        s.path.endsWith('.md') &&
        (s.action === 'created' || s.action === 'overwritten'),
    );
    out.push(
      '',
      example
        ? `Next: edit the example spec ${example.path}, then run ${color.cyan('mmm improve')}.`
        : `Next: check your specs with ${color.cyan('mmm specs')}, then run ${color.cyan('mmm improve')}.`,
    );
  }
  return out.join('\n') + '\n';
}
