#!/usr/bin/env node
// A closed pipe (`mmm runs | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Fast path: no commander, no command modules.
  const { mmmVersion } = await import('./version.js');
  process.stdout.write(`${mmmVersion()}\n`);
} else {
  const { main } = await import('./program.js');
  await main(process.argv);
}
