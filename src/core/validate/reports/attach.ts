import type { ShellResult } from '../exec.js';
import { summarizeCommand, type SummarizedCommand } from '../summarize.js';
import { diagnosticReport } from './diagnostics.js';
import type { PreparedTestRun } from './index.js';

/**
 * summarizeCommand for a project command, plus its identities: a test command's
 * TestReport (read from the report it was prepared to leave, or its console), a lint or
 * typecheck command's DiagnosticReport. Removes the prepared run's report directory.
 */
export async function summarizeProjectCommand(
  name: string,
  shell: ShellResult,
  options: { timeoutSec: number; root: string; prepared: PreparedTestRun | undefined },
): Promise<SummarizedCommand> {
  const { prepared } = options;
  try {
    const output = prepared ? await prepared.console(shell.output) : shell.output;
    const summarized = summarizeCommand(
      name,
      { ...shell, output },
      {
        timeoutSec: options.timeoutSec,
      },
    );
    const { parsed } = summarized;
    if (prepared) {
      summarized.result.tests = await prepared.report({
        output,
        tool: parsed.tool,
        ...(parsed.passed !== undefined ? { passed: parsed.passed } : {}),
        ...(parsed.failed !== undefined ? { failed: parsed.failed } : {}),
      });
    } else if (name === 'lint' || name === 'typecheck') {
      summarized.result.diagnostics = diagnosticReport(parsed, output, options.root);
    }
    return summarized;
  } finally {
    await prepared?.dispose();
  }
}
