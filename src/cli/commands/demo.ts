import type { Command } from 'commander';
import { join } from 'node:path';
import { action } from '../run-command.js';

interface DemoFlags {
  dir?: string;
  json?: boolean;
  tui?: boolean;
  delay?: string;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('watch a whole `mmm improve` run on a sample project: offline, no API key')
    .option('--dir <path>', 'where to create the demo repository (default: a temp directory)')
    .option('--json', 'print the run as JSON events, one per line')
    .option('--no-tui', 'plain line-by-line progress instead of the terminal UI')
    .option('--delay <ms>', 'pause between replayed text chunks (default 15; 0 = full speed)')
    .addHelpText(
      'after',
      `
The demo copies a small Node project with three specs (one depending on another) to a
temporary directory, makes it a git repository and runs the real \`mmm improve\` on it.
Claude's answers are replayed from a transcript recorded with mmm; the file edits, the
shell commands, the project's tests, the validation and the commits are real.`,
    )
    .action(
      action(async (flags: DemoFlags) => {
        const { prepareDemo } = await import('../../core/run/demo.js');
        const { startImprove } = await import('../../core/run/improve.js');
        const { renderRun, chooseMode } = await import('../../ui/render-run.js');
        const delay = flags.delay === undefined ? 15 : Number(flags.delay);
        const { InputError } = await import('../../core/errors.js');
        if (!Number.isFinite(delay) || delay < 0) {
          throw new InputError(`--delay ${flags.delay}: expected milliseconds (0 or more)`);
        }
        const demo = await prepareDemo({ dir: flags.dir });
        const mode = chooseMode({ json: flags.json, tui: flags.tui }, process.env, process.stdout);
        const info = mode === 'json' ? process.stderr : process.stdout;
        info.write(`mmm demo: sample project created in ${demo.dir}\n`);
        // The demo replays a fixed recording: the user's settings (a budget, a model,
        // max_iterations… from MMM_* or the global config file) would only derail it.
        // MMM_DEBUG and MMM_LOG_FILE are not settings; the global file is hidden by pointing
        // XDG_CONFIG_HOME at a directory that does not exist.
        const env: NodeJS.ProcessEnv = Object.fromEntries(
          Object.entries(process.env).filter(
            ([name]) => !name.startsWith('MMM_') || name === 'MMM_DEBUG' || name === 'MMM_LOG_FILE',
          ),
        );
        env.XDG_CONFIG_HOME = join(demo.dir, '.mmm', 'no-global-config');
        const run = startImprove({
          cwd: demo.dir,
          env,
          replayPath: demo.transcript,
          replayDelayMs: delay,
        });
        const rendering = renderRun(run, { mode });
        let result;
        try {
          result = await run.result;
        } finally {
          await rendering;
        }
        const rows: [string, string][] = [
          [`cd ${demo.dir}`, ''],
          [`git log --stat main..${result.branch}`, 'the commits mmm made, with their trailers'],
          ['mmm status', 'the run: specs, attempts, cost'],
          [
            'mmm report --out report.html',
            'the run as one page with charts (open it in a browser)',
          ],
          [`ls .mmm/runs/${result.runId}`, 'state.json, events.jsonl, transcript.jsonl'],
        ];
        const width = Math.max(...rows.map(([cmd]) => cmd.length)) + 3;
        info.write(
          `\nThe demo repository is ${demo.dir}; to look around:\n` +
            rows.map(([cmd, what]) => `  ${what ? cmd.padEnd(width) + what : cmd}`).join('\n') +
            '\n',
        );
        return result.exitCode;
      }),
    );
}
