import type { CommandGuess, CommandName, DetectorContext } from '../types.js';

export type Commands = Partial<Record<CommandName, CommandGuess>>;

export function guess(
  command: string,
  source: string,
  rank: CommandGuess['rank'],
  sure = true,
): CommandGuess {
  return { command, source, rank, sure };
}

/** Set `name` unless a higher- or equal-ranked guess is already there. */
export function offer(commands: Commands, name: CommandName, g: CommandGuess | undefined): void {
  if (!g) return;
  const current = commands[name];
  if (!current || g.rank > current.rank) commands[name] = g;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(v)) return out;
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** The first key of `names` present in `record`. */
export function firstKey(
  record: Record<string, unknown>,
  names: readonly string[],
): string | undefined {
  return names.find((n) => Object.hasOwn(record, n));
}

/** Frameworks whose marker dependency appears in `deps`. */
export function frameworksFrom(deps: Iterable<string>, table: Record<string, string>): string[] {
  const found = new Set<string>();
  for (const dep of deps) {
    const name = table[dep];
    if (name) found.add(name);
  }
  return [...found];
}

/** Manifests named `name` at the root and in sub-directories, shallowest first, capped. */
export function manifests(ctx: DetectorContext, name: string, cap = 200): string[] {
  return ctx
    .named(name)
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))
    .slice(0, cap);
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : path.slice(0, i);
}
