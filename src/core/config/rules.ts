import { compilePattern } from '../tools/command-policy.js';

/**
 * Config values the schema's types cannot check but that would fail later, after the
 * run branch and worktree exist: command patterns that do not compile, and a branch
 * prefix git refuses. Used as zod refinements in schema.ts, so the problem is reported
 * with its key, file and line (exit 2) before anything is created.
 */

/** Why a tools.allow/tools.deny pattern is unusable, or undefined. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.trim() === '')
    return 'an empty pattern; remove it or write a command such as "npm publish"';
  try {
    compilePattern(pattern);
    return undefined;
  } catch (error) {
    const detail = (error as Error).message.replace(/^Invalid regular expression: /, '');
    return `"${pattern}" is not a valid regular expression (${detail}); fix the part after "re:", or drop "re:" to write a glob such as "npm publish*"`;
  }
}

/** A run id as newRunId makes them: what follows the prefix in the branch name. */
const SAMPLE_RUN_ID = '20260101-000000-abcd';

/**
 * Why `<prefix><run-id>` is not a valid branch name, by the rules of
 * `git check-ref-format --branch` (applied to refs/heads/<prefix><run-id>), or undefined.
 */
export function branchPrefixProblem(prefix: string): string | undefined {
  const name = `${prefix}${SAMPLE_RUN_ID}`;
  const why = refNameProblem(name);
  return why
    ? `"${prefix}" cannot start a branch name: ${why} (git check-ref-format); use letters, digits, "-", "_", "." and "/" inside, such as "mmm/" or "ai/mmm-"`
    : undefined;
}

function refNameProblem(name: string): string | undefined {
  if (name.startsWith('-')) return 'a branch name cannot start with "-"';
  // eslint-disable-next-line no-control-regex
  const bad = /[\x00-\x20\x7f~^:?*[\\]/.exec(name);
  if (bad) {
    const c = bad[0];
    const code = c.charCodeAt(0);
    const shown =
      c === ' ' ? 'a space' : code < 0x20 || code === 0x7f ? 'a control character' : `"${c}"`;
    return `it contains ${shown}`;
  }
  if (name.includes('..')) return 'it contains ".."';
  if (name.includes('@{')) return 'it contains "@{"';
  if (name.startsWith('/')) return 'it starts with "/"';
  if (name.includes('//')) return 'it contains "//" (an empty path component)';
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return `the component "${part}" starts with "."`;
    if (part.endsWith('.lock')) return `the component "${part}" ends with ".lock"`;
  }
  return undefined;
}
