import type { SpecCheck } from '../../specs/model.js';
import type { GuardOptions } from '../../verdict/guard-git.js';
import { testFilesOf } from '../../verdict/guard-test-files.js';
import type { CheckResult } from '../events.js';
import type { StepEnv } from './types.js';

/** What the integrity guard needs to know about the item's changes (verdict/guard-git.ts). */
export function guardOptions(
  env: StepEnv,
  checks: SpecCheck[],
  results: CheckResult[],
): GuardOptions {
  const { session, item, cursor } = env;
  const spec = item.spec;
  return {
    workDir: session.workDir,
    checkpoint: cursor.checkpoint,
    commands: [
      ...session.commands.map((c) => ({ command: c.command, origin: `the ${c.name} command` })),
      ...checks.flatMap((c) =>
        c.kind === 'run' ? [{ command: c.run, origin: 'the spec check' }] : [],
      ),
    ],
    configGlobs: session.config.validate.protect,
    specGlobs: spec?.protect ?? [],
    allowEdit: spec?.allowEdit ?? [],
    // Without a spec, `.mmm/` stands in (protected anyway); so it does for a merge, whose
    // spec write-back is mmm's (the lane's own guard kept the agent off the spec file).
    specFile: (!env.merging && spec?.file) || '.mmm/',
    // A merge carries mmm's write-back of the merged specs: not the agent's edits.
    otherSpecFiles: env.merging
      ? []
      : session.specs.map((s) => s.file).filter((f) => f !== spec?.file),
    knownTestFiles: testFilesOf(
      [
        ...(session.state.baseline?.results ?? []),
        ...session.state.iterations.flatMap((i) => i.validation ?? []),
        ...results,
      ],
      session.workDir,
    ),
  };
}
