import { LineCounter, parseDocument, type Node } from 'yaml';
import { parseChecks } from './checks.js';
import type { Criterion, SpecProblem } from './model.js';
import { ProblemSink } from './yaml-context.js';

/**
 * A criterion's own check, written at the end of its line as an HTML comment (invisible
 * when the markdown is rendered):
 *
 *     - [ ] add(2, 3) returns 5 <!-- check: run: node --test test/add.test.js -->
 *     - [ ] the guide exists <!-- check: file_exists: docs/guide.md -->
 *     - [ ] exits 2 on bad input <!-- check: {run: "node cli.js --bad", expect_exit: 2} -->
 *
 * The check is one entry of the frontmatter's `checks:` list, in YAML (`run:` takes the
 * rest of the comment literally, so commands need no quoting). It runs with the spec's
 * checks; when it passes it is the criterion's evidence, when it fails the attempt fails.
 */
const CHECK_COMMENT = /[ \t]*<!--[ \t]*check:[ \t]*(.*?)[ \t]*-->[ \t]*$/;

/** Criteria with their `<!-- check: … -->` split off into `check`; problems go to the list. */
export function readCriterionChecks(
  file: string,
  criteria: Criterion[],
  problems: SpecProblem[],
): Criterion[] {
  return criteria.map((criterion) => {
    const m = CHECK_COMMENT.exec(criterion.text);
    if (!m) return criterion;
    const text = criterion.text.slice(0, m.index).trimEnd();
    const source = (m[1] ?? '').trim();
    const yaml = /^run:[ \t]/.test(source)
      ? `- run: ${JSON.stringify(source.replace(/^run:[ \t]+/, ''))}`
      : `- ${source}`;
    const lineCounter = new LineCounter();
    const doc = parseDocument(yaml, { lineCounter, prettyErrors: false });
    const sink = new ProblemSink(file, lineCounter, criterion.line - 1);
    if (doc.errors.length > 0 || source === '') {
      sink.error(
        { line: criterion.line, column: 1 },
        `the check of this criterion is not valid: write it like a checks: entry, e.g. <!-- check: run: npm test -- add -->`,
      );
      problems.push(...sink.problems);
      return { ...criterion, text };
    }
    const checks = parseChecks(doc.contents as Node, sink);
    // Positions inside the comment are not the file's columns: report the criterion's line.
    problems.push(...sink.problems.map((p) => ({ ...p, line: criterion.line, column: 1 })));
    const check = checks[0];
    if (!check) return { ...criterion, text };
    if (check.kind === 'expr') {
      problems.push({
        file,
        line: criterion.line,
        column: 1,
        message: 'a criterion check cannot be an expr check: use run, file_exists or file_contains',
        severity: 'error',
      });
      return { ...criterion, text };
    }
    return { ...criterion, text, check: { ...check, line: criterion.line } };
  });
}
