import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { sha256 } from '../../src/core/workflow/parse.js';
import { BUILTIN_WORKFLOW_DIR, loadWorkflow } from '../../src/core/workflow/load.js';
import { tempDir, writeTree } from '../support/tmp.js';

const OWN_DOCS = 'description: our docs\nsteps:\n  - shell: "make docs"\n';

describe('loadWorkflow', () => {
  it('finds a built-in by name, with its path, origin and the sha256 of its bytes', async () => {
    const root = tempDir();
    const wf = await loadWorkflow(root, 'docs');
    expect(wf.source).toMatchObject({
      origin: 'builtin',
      format: 'mmm',
      path: `${BUILTIN_WORKFLOW_DIR}docs.yml`,
    });
    const { readFileSync } = await import('node:fs');
    expect(wf.source.hash).toBe(sha256(readFileSync(wf.source.path)));
  });

  it('prefers a project file of the same name, and reads a path relative to cwd', async () => {
    const root = writeTree(tempDir(), {
      '.mmm/workflows/docs.yml': OWN_DOCS,
      'ci/x.yaml': OWN_DOCS,
    });
    const project = await loadWorkflow(root, 'docs');
    expect(project.source.origin).toBe('project');
    expect(project.description).toBe('our docs');
    const byPath = await loadWorkflow(root, 'x.yaml', `${root}/ci`);
    expect(byPath.source).toMatchObject({ origin: 'path', path: `${root}/ci/x.yaml` });
    expect(byPath.name).toBe('x');
  });

  it('refuses an invalid file with every problem (exit 2), and an unknown name with a suggestion', async () => {
    const root = writeTree(tempDir(), {
      '.mmm/workflows/bad.yml':
        'steps:\n  - shell: "true"\n    retry: shell-1\n  - agent: "${vars.x}"\n',
    });
    const error = await loadWorkflow(root, 'bad').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect((error as InputError).message).toBe('workflow .mmm/workflows/bad.yml has 2 problems');
    expect((error as InputError).problems).toEqual([
      '.mmm/workflows/bad.yml:3:5: unknown key "retry" in steps[0] (it belongs under on_failure:)',
      '.mmm/workflows/bad.yml:4:13: unknown variable ${vars.x}: declare it under vars: (a default; --var x=… overrides)',
    ]);
    await expect(loadWorkflow(root, 'fix-test')).rejects.toThrow(
      'no workflow "fix-test" (did you mean "fix-tests"?)',
    );
  });
});
