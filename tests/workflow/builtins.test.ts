import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/core/specs/model.js';
import {
  BUILTIN_WORKFLOW_DIR,
  listWorkflowFiles,
  readWorkflowFile,
} from '../../src/core/workflow/load.js';
import { tempDir } from '../support/tmp.js';

const ISSUE_BUILTINS = [
  'fix-tests',
  'lint-clean',
  'typecheck',
  'coverage',
  'docs',
  'security-review',
  'dependency-upgrade',
  'refactor-large-files',
  'performance',
];

describe('built-in workflows', () => {
  it('ships the built-ins of the issue', () => {
    const names = readdirSync(BUILTIN_WORKFLOW_DIR).map((f) => f.replace(/\.yml$/, ''));
    expect(names).toEqual(expect.arrayContaining(ISSUE_BUILTINS));
  });

  it('every built-in validates, with a description and its own name', async () => {
    const root = tempDir();
    const files = listWorkflowFiles(root);
    expect(files.length).toBeGreaterThanOrEqual(ISSUE_BUILTINS.length);
    for (const file of files) {
      const { workflow, problems } = await readWorkflowFile(root, file);
      expect(problems.map(formatProblem), file.name).toEqual([]);
      expect(workflow?.name).toBe(file.name);
      expect(workflow?.description.length, file.name).toBeGreaterThan(10);
      expect(workflow?.source.origin).toBe('builtin');
    }
  });
});
