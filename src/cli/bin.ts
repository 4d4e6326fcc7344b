#!/usr/bin/env node
import { ExitCode } from '../core/errors.js';

// A closed pipe (`mmm runs | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.Ok);
    throw error;
  });
}

// A crash outside the command's own error handling: printed like any error, secrets redacted.
const crash = (error: unknown): void => {
  void import('../core/secrets/redact.js').then(({ redact }) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`mmm: internal error: ${redact(text)}\n`);
    process.exit(ExitCode.WorkFailed);
  });
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Fast path: no commander, no command modules.
  const { mmmVersion } = await import('./version.js');
  process.stdout.write(`${mmmVersion()}\n`);
} else {
  const { main } = await import('./program.js');
  await main(process.argv);
}
