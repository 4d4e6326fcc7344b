/**
 * Validation of an attempt: the project's commands and the spec's checks, their results
 * parsed, failures turned into feedback (docs/validation.md).
 */
export { validateAttempt } from './validate.js';
export type {
  ProjectCommand,
  ProjectCommandKind,
  ValidateOptions,
  ValidationOutcome,
} from './validate.js';
export { projectCommandsToRun, COMMAND_ORDER, type DetectedCommands } from './commands.js';
export { formatFeedback, failureFingerprint, normalizeLine } from './feedback.js';
export { checkExpression, evaluateExpression, COMMAND_VARIABLES, type CelBindings } from './cel.js';
export { runShell, NON_INTERACTIVE_ENV, type ShellOptions, type ShellResult } from './exec.js';
export {
  parseOutput,
  PARSERS,
  MAX_FAILED_TESTS,
  type ParsedOutput,
  type OutputParser,
} from './parsers/index.js';
export { OUTPUT_LIMIT } from './summarize.js';
