import { attemptDiff } from './guard-git.js';
import { pathOf, type DiffFile } from './guard-diff.js';
import { TestFiles } from './guard-test-files.js';
import type { Verdict } from './judge.js';

/** Bound on the lines quoted: enough to recognise a deleted test, never a whole file. */
const MAX_LINES = 20;

/**
 * When tests vanished or the passing count dropped, the lines the attempt removed from test
 * files are the evidence of what happened: quoted under the verdict, so the model (and the
 * user reading the feedback) sees exactly which test code went away. Pure.
 */
export function removedTestLines(files: readonly DiffFile[], tests: TestFiles): string | undefined {
  const blocks: string[] = [];
  let budget = MAX_LINES;
  for (const file of files) {
    const path = file.oldPath ?? pathOf(file);
    if (!tests.has(path) || file.removed.length === 0 || budget <= 0) continue;
    const shown = file.removed.filter((l) => l.text.trim() !== '').slice(0, budget);
    budget -= shown.length;
    const more = file.removed.length - shown.length;
    blocks.push(
      [
        `- ${path}${file.status === 'deleted' ? ' (file deleted)' : ''}:`,
        ...shown.map((l) => `    ${l.line}: ${l.text}`),
        ...(more > 0 ? [`    … ${more} more removed line${more === 1 ? '' : 's'}`] : []),
      ].join('\n'),
    );
  }
  if (!blocks.length) return undefined;
  return `Lines this attempt removed from test files:\n${blocks.join('\n')}`;
}

/** Whether the verdict says tests went away (so the removed test lines are worth quoting). */
export function testsWentAway(verdict: Verdict): boolean {
  return verdict.newFailures.some((f) => f.kind === 'vanished' || f.kind === 'passing-dropped');
}

/** The removed test lines of the attempt in `dir` since `checkpoint`, for the feedback. */
export async function removedTestLinesOf(
  dir: string,
  checkpoint: string,
  knownTestFiles: Iterable<string>,
): Promise<string | undefined> {
  const diff = await attemptDiff(dir, checkpoint);
  return removedTestLines(diff.files, new TestFiles(knownTestFiles));
}
