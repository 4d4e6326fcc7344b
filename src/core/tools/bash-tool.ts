import { z } from 'zod';
import type { AgentTool, ToolContext, ToolOutcome } from './types.js';
import { CommandPolicy } from './command-policy.js';
import { defineTool } from './define-tool.js';
import type { Sandbox } from './sandbox.js';
import { ShellSession } from './shell-session.js';

/**
 * `bash`, with the input shape of Anthropic's bash tool (bash_20250124): `command`, or
 * `restart: true`. Working directory and exported variables persist between calls;
 * each call has a timeout (config tools.bash_timeout) that kills its whole process
 * group, output is capped (tools.output_limit, head and tail kept), stdin is empty and
 * the environment is non-interactive and free of secrets. Commands pass the command
 * policy first. A non-zero exit is a normal result (the exit code is in the content);
 * a refused, timed-out or aborted command is an error result.
 */
export const BASH_TOOL_NAME = 'bash';

const bashInputSchema = z.object({
  command: z
    .string()
    .optional()
    .describe('The bash command to run. Required unless restart is true.'),
  restart: z
    .boolean()
    .optional()
    .describe('Set to true to restart the shell (resets directory and variables).'),
});

type BashInput = z.output<typeof bashInputSchema>;

const DESCRIPTION = `Run a bash command in the project (non-interactive: stdin is empty, no pagers, no prompts).
The working directory and exported variables persist between calls; {"restart": true} resets them. Each call is killed with its child processes after the configured timeout, so do not start servers or watchers that never exit (background processes are stopped when the command ends). Long output is cut to its first and last part: redirect to a file and use grep/head/tail for big outputs.
The result shows the combined stdout/stderr and the exit code.
Not allowed: git commit/push/reset/rebase/merge/stash/checkout of branches and other history changes (mmm commits for you when the checks pass), sudo, and destructive commands outside the project.`;

function fail(content: string, display: string): ToolOutcome {
  return { content, isError: true, display };
}

function firstLine(command: string): string {
  const line = command.trim().split('\n')[0] ?? '';
  const short = line.length > 80 ? `${line.slice(0, 77)}...` : line;
  return command.trim().includes('\n') ? `${short} …` : short;
}

export function createBashTool(
  root: string,
  config: ToolContext['config'],
  sandbox?: Sandbox,
): AgentTool {
  const shell = new ShellSession(root, sandbox);
  const policy = new CommandPolicy(config);

  async function execute(input: BashInput, ctx: ToolContext): Promise<ToolOutcome> {
    const { command, restart } = input;
    if (restart) {
      shell.reset();
      if (command === undefined || command.trim() === '') {
        return {
          content: 'The shell has been restarted.',
          isError: false,
          display: 'bash: restart',
        };
      }
    }
    if (command === undefined || command.trim() === '') {
      return fail(
        'No command given: pass { "command": "<shell command>" }, or { "restart": true } to reset the shell.',
        'bash: no command',
      );
    }
    const decision = policy.check(command);
    if (!decision.allowed) {
      return fail(
        `Command refused by mmm's command policy: \`${decision.command}\` — ${decision.reason}\nNothing was run.`,
        `bash refused: ${firstLine(decision.command)}`,
      );
    }
    const result = await shell.run(command, {
      timeoutMs: ctx.config.bash_timeout * 1000,
      outputLimit: ctx.config.output_limit,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const parts: string[] = [];
    if (result.note) parts.push(result.note);
    parts.push(result.output === '' ? '(no output)' : result.output.replace(/\n$/, ''));
    if (result.aborted) {
      parts.push('[The command was aborted by the user and killed with its child processes.]');
      return fail(parts.join('\n'), `bash aborted: ${firstLine(command)}`);
    }
    if (result.timedOut) {
      parts.push(
        `[The command timed out after ${ctx.config.bash_timeout} s and was killed with its child processes. Run long tasks with a narrower scope (e.g. a single test file), or in steps.]`,
      );
      return fail(parts.join('\n'), `bash timed out: ${firstLine(command)}`);
    }
    parts.push(`[exit code: ${result.exitCode ?? 'killed by a signal'}]`);
    return {
      content: parts.join('\n'),
      isError: false,
      display: `bash: ${firstLine(command)} → exit ${result.exitCode ?? 'signal'}`,
    };
  }

  return defineTool({
    name: BASH_TOOL_NAME,
    description: DESCRIPTION,
    schema: bashInputSchema,
    anthropic: { type: 'bash_20250124', name: BASH_TOOL_NAME },
    expected: 'Expected { "command": "<shell command>" } or { "restart": true }.',
    onFailure: 'Try again; if it persists, restart the shell.',
    summarize: (input) =>
      input.restart ? 'bash: restart' : `bash: ${firstLine(input.command ?? '')}`,
    execute,
    dispose() {
      shell.dispose();
      return Promise.resolve();
    },
  });
}
