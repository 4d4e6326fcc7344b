import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { formatProblem } from '../specs/model.js';
import { displayPath, projectWorkflowDir, readWorkflowFile, resolveWorkflowFile } from './load.js';
import { STEP_ID } from './schema.js';

/**
 * `mmm workflow new NAME --from TEMPLATE`: copy a workflow (built-in or project) to
 * .mmm/workflows/NAME.yml with its `name:` set to NAME. Refuses to overwrite; the copy is
 * validated before it is kept.
 */
export async function createWorkflow(options: {
  root: string;
  name: string;
  from: string;
}): Promise<{ file: string; from: string }> {
  const { root, name } = options;
  if (!STEP_ID.test(name)) {
    throw new InputError(`"${name}" is not a workflow name`, {
      hint: 'use lower-case letters, digits, - and _, starting with a letter (e.g. fix-flaky-tests)',
    });
  }
  const source = resolveWorkflowFile(root, options.from);
  const dir = projectWorkflowDir(root);
  const target = join(dir, `${name}.yml`);
  const shown = displayPath(root, target);
  await mkdir(dir, { recursive: true });
  const text = await readFile(source.path, 'utf8');
  // A predecessor-format list has no name: key to set; it is copied as it is.
  const predecessor = text
    .replace(/^\s*#.*$/gm, '')
    .trimStart()
    .startsWith('-');
  const renamed = predecessor
    ? text
    : /^name:.*$/m.test(text)
      ? text.replace(/^name:.*$/m, `name: ${name}`)
      : `name: ${name}\n${text}`;
  try {
    // Flag wx: never overwrite, even when the file appears between a check and the write.
    await writeFile(target, renamed, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new InputError(`${shown} already exists`, {
        hint: `edit it, or choose another name (mmm workflow new <name> --from ${options.from})`,
      });
    }
    throw error;
  }
  const { problems } = await readWorkflowFile(root, { path: target, origin: 'project' });
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    await rm(target, { force: true });
    throw new InputError(`the copy of ${options.from} is not valid, so ${shown} was not kept`, {
      problems: errors.map(formatProblem),
    });
  }
  return { file: shown, from: displayPath(root, source.path) };
}
