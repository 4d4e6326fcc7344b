import type { Command } from 'commander';
import { action } from '../run-command.js';

export function register(program: Command): void {
  const config = program
    .command('config')
    .description('show the effective configuration or its JSON Schema');

  config
    .command('show')
    .description('print the effective configuration and where each value came from')
    .option('--json', 'print JSON: { config, sources, files }')
    .action(
      action(async (options: { json?: boolean }) => {
        const { loadConfig } = await import('../../core/config/load.js');
        const { configEntries } = await import('../../core/config/show.js');
        const { table } = await import('../../ui/table.js');
        const { color } = await import('../../ui/colors.js');
        const loaded = await loadConfig({ cwd: process.cwd() });
        for (const w of loaded.warnings) process.stderr.write(`mmm: warning: ${w}\n`);
        if (options.json) {
          const { config: cfg, sources, files, root } = loaded;
          process.stdout.write(
            JSON.stringify({ config: cfg, sources, files, root }, null, 2) + '\n',
          );
          return;
        }
        const rows = configEntries(loaded).map((e) => [
          e.key,
          e.value === undefined
            ? color.dim(e.key.startsWith('commands.') ? '(detected by mmm analyze)' : '(unset)')
            : JSON.stringify(e.value),
          color.dim(e.source),
        ]);
        process.stdout.write(table(rows, { header: ['KEY', 'VALUE', 'SOURCE'] }) + '\n');
        process.stdout.write(
          color.dim(
            `\nglobal file:  ${loaded.files.global}\nproject file: ${loaded.files.project}\n`,
          ),
        );
      }),
    );

  config
    .command('schema')
    .description('print the JSON Schema of .mmm/config.toml (generated from the zod schema)')
    .action(
      action(async () => {
        const { configJsonSchema } = await import('../../core/config/json-schema.js');
        process.stdout.write(JSON.stringify(configJsonSchema(), null, 2) + '\n');
      }),
    );
}
