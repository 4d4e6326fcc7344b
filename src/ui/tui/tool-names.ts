/** Short names for tool lines: Anthropic's long tool names are noise on an 80-column screen. */
const SHORT: Record<string, string> = {
  str_replace_based_edit_tool: 'edit',
  // Claude Code's tools (the claude-code engine), in the words of mmm's own.
  Bash: 'bash',
  Read: 'view',
  Edit: 'edit',
  Write: 'edit',
  Glob: 'glob',
  Grep: 'grep',
};

export function shortToolName(name: string): string {
  return SHORT[name] ?? name;
}

function namesTool(text: string, name: string): boolean {
  const short = shortToolName(name);
  return text.startsWith(short) || text.startsWith(name);
}

/**
 * One line for a tool call. Tools' summaries and displays often name the tool already
 * ("bash: npm test", "bash: npm test → exit 0"): then they are shown as they are;
 * otherwise the short tool name and the summary lead, and the outcome follows an arrow.
 */
export function toolCallText(name: string, summary: string, display?: string): string {
  const label = !summary
    ? shortToolName(name)
    : namesTool(summary, name)
      ? summary
      : `${shortToolName(name)} ${summary}`;
  if (display === undefined) return label;
  if (!display) return label;
  if (namesTool(display, name) || (summary && display.startsWith(summary))) return display;
  return `${label} → ${display}`;
}
