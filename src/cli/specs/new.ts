import { createSpec } from '../../core/specs/new-spec.js';
import { resolveSpecDir } from '../../core/specs/spec-dir.js';
import { color } from '../../ui/colors.js';
import { ExitCode } from '../../core/errors.js';

/** `mmm spec new "<title>" [--template T] [--depends-on id...]`. */
export async function newSpecCommand(options: {
  cwd: string;
  title: string;
  template: string;
  dependsOn: string[];
  json: boolean;
}): Promise<ExitCode> {
  const { root, specDirs } = await resolveSpecDir(options.cwd);
  const spec = await createSpec({
    root,
    specDir: specDirs,
    title: options.title,
    template: options.template,
    dependsOn: options.dependsOn,
  });
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ id: spec.id, file: spec.file, title: spec.title, template: options.template }, null, 2)}\n`,
    );
    return ExitCode.Ok;
  }
  process.stdout.write(
    `${color.green('created')} ${spec.file} ${color.dim(`(id ${spec.id}, template ${options.template})`)}\n` +
      `Edit it, then check it with: mmm specs validate\n`,
  );
  return ExitCode.Ok;
}
