export {
  collectSecretValues,
  isCredentialName,
  isRedactableValue,
  isSecretName,
  withoutSecrets,
  type SecretValue,
} from './secret-values.js';
export {
  Redactor,
  placeholder,
  redact,
  redactDeep,
  registerSecret,
  secretRedactor,
  stringifyRedacted,
} from './redact.js';
export { createEventRedactor } from './redact-events.js';
export { findSecretsInChanges, scanDiff, secretFeedback, type SecretFinding } from './diff-scan.js';
export { redactRequest } from './redact-request.js';
