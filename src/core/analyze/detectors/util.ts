import type { CommandGuess, CommandName, DetectorContext, Evidence } from '../types.js';
import { compareText } from '../order.js';

export type Commands = Partial<Record<CommandName, CommandGuess>>;

export function guess(
  command: string,
  source: string,
  rank: CommandGuess['rank'],
  sure = true,
  evidence?: Evidence[],
  notes?: string[],
): CommandGuess {
  const g: CommandGuess = { command, source, rank, sure };
  if (evidence?.length) g.evidence = evidence;
  if (notes?.length) g.notes = notes;
  return g;
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

/**
 * Folders whose manifests are sample data, not part of the project: test fixtures,
 * examples, vendored code. Their package managers and frameworks are not the project's.
 */
const NOT_THE_PROJECT =
  /(^|\/)(fixtures?|__fixtures__|testdata|test-data|test_data|examples?|samples?|vendor|third[_-]party|node_modules)\//;

export function isSampleManifest(path: string): boolean {
  return NOT_THE_PROJECT.test(path);
}

/**
 * Manifests named `name` at the root and in sub-directories, shallowest first, capped
 * (with a warning when the cap is hit). Manifests in fixture/example folders are left out
 * unless `samples` is set.
 */
export function manifests(
  ctx: DetectorContext,
  name: string,
  cap = 200,
  samples = false,
): string[] {
  const all = ctx
    .named(name)
    .filter((f) => samples || !isSampleManifest(f))
    .sort((a, b) => a.split('/').length - b.split('/').length || compareText(a, b));
  if (all.length > cap) {
    ctx.warn(
      `${all.length} ${name} files found: only the ${cap} shallowest were read (frameworks and workspaces may be incomplete)`,
    );
  }
  return all.slice(0, cap);
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : path.slice(0, i);
}
