import { COMMAND_NAMES, type Analysis } from './types.js';

/** Hard cap for the system-prompt summary. */
export const SUMMARY_LIMIT = 1500;

/**
 * A compact plain-text briefing about the project for Claude's system prompt:
 * languages, tooling, the exact commands, layout hints. Always under 1,500 chars.
 */
export function summarizeAnalysis(a: Analysis): string {
  const lines: string[] = [];
  const langs = a.languages
    .slice(0, 5)
    .map((l) => `${l.name} ${Math.round(l.share * 100)}%`)
    .join(', ');
  lines.push(
    `Project: ${a.files} files; primary language ${a.primaryLanguage ?? 'unknown'}${langs ? ` (${langs})` : ''}.`,
  );
  if (a.packageManagers.length) lines.push(`Package managers: ${a.packageManagers.join(', ')}.`);
  if (a.frameworks.length) lines.push(`Frameworks: ${a.frameworks.slice(0, 10).join(', ')}.`);
  const commands = COMMAND_NAMES.map((n) => `${n}: ${a.commands[n] ?? '(none detected)'}`);
  lines.push(`Commands (run from the root): ${commands.join('; ')}.`);
  for (const w of a.workspaces.slice(0, 2)) {
    const shown = w.packages.slice(0, 8).join(', ');
    const more = w.packages.length > 8 ? ` and ${w.packages.length - 8} more` : '';
    lines.push(`Monorepo (${w.tool} workspaces): ${shown}${more}.`);
  }
  lines.push(
    `Tests: ${a.tests.files} test files (ratio ${a.tests.ratio} per source file).${a.ci.length ? ` CI: ${a.ci.join(', ')}.` : ''}`,
  );
  if (a.git) {
    const hot = a.git.hotspots
      .slice(0, 5)
      .map((h) => h.path)
      .join(', ');
    lines.push(
      `Git: branch ${a.git.branch ?? '(detached)'}, ${a.git.commits}${a.git.commitsCapped ? '+' : ''} commits, ${a.git.dirtyFiles} uncommitted changes.${hot ? ` Most changed: ${hot}.` : ''}`,
    );
  }
  if (a.largestFiles.length) {
    lines.push(
      `Largest files: ${a.largestFiles
        .slice(0, 3)
        .map((f) => `${f.path} (${f.lines} lines)`)
        .join(', ')}.`,
    );
  }
  let text = '';
  for (const line of lines) {
    const next = text ? `${text}\n${line}` : line;
    // A line that does not fit is dropped; shorter ones after it may still fit.
    if (next.length <= SUMMARY_LIMIT) text = next;
  }
  return text.length <= SUMMARY_LIMIT ? text : `${text.slice(0, SUMMARY_LIMIT - 1)}…`;
}
