import type { CheckResult } from '../run/events.js';
import { CommandPolicy, type PolicyConfig } from '../tools/command-policy.js';

/**
 * A spec's `run:` checks are commands mmm itself executes in the worktree, and spec
 * files can be written by the model (review mode creates them; any attempt can edit
 * them). So every `run:` check passes the same command policy as the agent's bash tool
 * (defaults plus config tools.allow/tools.deny) before it runs. A refused check is not
 * run; it fails with a summary naming the rule.
 */
export function refusedCheck(
  command: string,
  config: PolicyConfig = { allow: [], deny: [] },
): CheckResult | undefined {
  const decision = new CommandPolicy(config).check(command);
  if (decision.allowed) return undefined;
  return {
    name: `run: ${command}`,
    passed: false,
    exitCode: 126,
    summary: `not run: refused by the command policy: \`${decision.command}\`: ${decision.reason}`,
    durationMs: 0,
  };
}
