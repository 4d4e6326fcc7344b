import { detectCmake } from './detectors/cmake.js';
import { detectDeno } from './detectors/deno.js';
import { detectDotnet } from './detectors/dotnet.js';
import { detectElixir } from './detectors/elixir.js';
import { detectGo } from './detectors/go.js';
import { detectJvm } from './detectors/jvm.js';
import { detectMake } from './detectors/make.js';
import { detectNode } from './detectors/node.js';
import { detectPhp } from './detectors/php.js';
import { detectPython } from './detectors/python.js';
import { detectRuby } from './detectors/ruby.js';
import { detectRust } from './detectors/rust.js';
import { detectDart, detectSwift } from './detectors/swift.js';
import {
  COMMAND_NAMES,
  type CommandName,
  type CommandSource,
  type Detection,
  type Detector,
  type DetectorContext,
  type LanguageStat,
  type Workspace,
} from './types.js';

/** Every ecosystem detector, in tie-break order (task runners first). */
export const DETECTORS: readonly Detector[] = [
  detectMake,
  detectNode,
  detectPython,
  detectRust,
  detectGo,
  detectJvm,
  detectRuby,
  detectPhp,
  detectElixir,
  detectDotnet,
  detectCmake,
  detectDeno,
  detectSwift,
  detectDart,
];

export interface Detected {
  packageManagers: string[];
  frameworks: string[];
  commands: Record<CommandName, string | null>;
  commandSources: Record<CommandName, CommandSource | null>;
  workspaces: Workspace[];
}

/**
 * Runs every detector and merges: for each command the highest rank wins; on a
 * tie, the ecosystem with more lines of code wins, then detector order.
 */
export async function detectAll(
  ctx: DetectorContext,
  languages: LanguageStat[],
): Promise<Detected> {
  const results = await Promise.all(
    DETECTORS.map(async (d): Promise<Detection | null> => {
      try {
        return await d(ctx);
      } catch (error) {
        ctx.warn(
          `a detector failed (${d.name}): ${error instanceof Error ? error.message : String(error)}`,
        );
        return null;
      }
    }),
  );
  const linesOf = new Map(languages.map((l) => [l.name, l.lines]));
  const weight = (d: Detection) =>
    (d.languages ?? []).reduce((s, l) => s + (linesOf.get(l) ?? 0), 0);

  const packageManagers: string[] = [];
  const frameworks = new Set<string>();
  const workspaces: Workspace[] = [];
  const commands = Object.fromEntries(COMMAND_NAMES.map((n) => [n, null])) as Record<
    CommandName,
    string | null
  >;
  const commandSources = Object.fromEntries(COMMAND_NAMES.map((n) => [n, null])) as Record<
    CommandName,
    CommandSource | null
  >;
  const best = new Map<CommandName, { rank: number; weight: number }>();
  for (const d of results) {
    if (!d) continue;
    for (const pm of d.packageManagers ?? [])
      if (!packageManagers.includes(pm)) packageManagers.push(pm);
    for (const f of d.frameworks ?? []) frameworks.add(f);
    workspaces.push(...(d.workspaces ?? []).filter((w) => w.packages.length > 0));
    const w = weight(d);
    for (const name of COMMAND_NAMES) {
      const g = d.commands?.[name];
      if (!g) continue;
      const current = best.get(name);
      if (current && (current.rank > g.rank || (current.rank === g.rank && current.weight >= w)))
        continue;
      best.set(name, { rank: g.rank, weight: w });
      commands[name] = g.command;
      commandSources[name] = { command: g.command, source: g.source, sure: g.sure };
    }
  }
  return {
    packageManagers,
    frameworks: [...frameworks].sort(),
    commands,
    commandSources,
    workspaces,
  };
}
