import type { Config } from '../config/schema.js';
import type { ProjectCommand, ProjectCommandKind } from './validate.js';

/** The order project commands run in, whatever the order of `validate.run`. */
export const COMMAND_ORDER: readonly ProjectCommandKind[] = ['build', 'typecheck', 'lint', 'test'];

export interface DetectedCommands {
  build: string | null;
  test: string | null;
  lint: string | null;
  typecheck: string | null;
}

/**
 * The project commands a validation runs: those named in `validate.run`, each taken from
 * `commands.<name>` when set (even to "", which disables it), else from what the analyzer
 * detected; a command that is empty or undetected is left out. Order: build, typecheck,
 * lint, test — so a build the tests depend on comes first.
 */
export function projectCommandsToRun(config: Config, detected: DetectedCommands): ProjectCommand[] {
  const wanted = new Set(config.validate.run);
  const out: ProjectCommand[] = [];
  for (const name of COMMAND_ORDER) {
    if (!wanted.has(name)) continue;
    const configured = config.commands[name];
    const command = (configured !== undefined ? configured : detected[name]) ?? '';
    if (command.trim()) out.push({ name, command: command.trim() });
  }
  return out;
}
