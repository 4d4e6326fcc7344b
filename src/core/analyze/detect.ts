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
import { applyCaveats } from './caveats.js';
import { detectScripts } from './detectors/scripts.js';
import { resolveEvidence } from './evidence.js';
import {
  COMMAND_NAMES,
  type CommandGuess,
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
  detectScripts,
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

/** Task runners and project scripts speak for the whole repository, not one ecosystem. */
const NEUTRAL: ReadonlySet<Detector> = new Set([detectMake, detectScripts]);

interface Candidate {
  detector: Detector;
  detection: Detection;
  guess: CommandGuess;
  weight: number;
  order: number;
}

/**
 * Runs every detector and merges. Task-runner targets and project scripts (rank 3) win.
 * Otherwise the primary ecosystem — the one with the most lines of code — gives the
 * command even when another ecosystem ranks higher (a Phoenix app's asset `package.json`
 * must not replace `mix test`); when both ecosystems have test files, their suites are
 * chained. Other ties: rank, then lines of code, then detector order.
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
  const testsOf = (d: Detection) =>
    (d.languages ?? []).reduce((s, l) => s + (ctx.testFiles.get(l) ?? 0), 0);

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
  const candidates = new Map<CommandName, Candidate[]>(COMMAND_NAMES.map((n) => [n, []]));
  let primary: Candidate | undefined;
  results.forEach((d, order) => {
    if (!d) return;
    const detector = DETECTORS[order] as Detector;
    for (const pm of d.packageManagers ?? [])
      if (!packageManagers.includes(pm)) packageManagers.push(pm);
    for (const f of d.frameworks ?? []) frameworks.add(f);
    workspaces.push(...(d.workspaces ?? []).filter((w) => w.packages.length > 0));
    const w = weight(d);
    for (const name of COMMAND_NAMES) {
      const g = d.commands?.[name];
      if (!g) continue;
      const c = { detector, detection: d, guess: g, weight: w, order };
      candidates.get(name)?.push(c);
      if (!NEUTRAL.has(detector) && w > 0 && (!primary || w > primary.weight)) primary = c;
    }
  });

  for (const name of COMMAND_NAMES) {
    const list = (candidates.get(name) ?? []).sort(
      (a, b) => b.guess.rank - a.guess.rank || b.weight - a.weight || a.order - b.order,
    );
    const top = list[0];
    if (!top) continue;
    let chosen: CommandGuess = top.guess;
    let chosenFrom: Candidate = top;
    const mine = primary && list.find((c) => c.detection === primary?.detection);
    if (top.guess.rank < 3 && mine && mine !== top && !NEUTRAL.has(top.detector)) {
      const main = primaryLanguage(mine.detection, linesOf);
      const other = primaryLanguage(top.detection, linesOf);
      const bothSuites =
        name === 'test' && testsOf(top.detection) > 0 && testsOf(mine.detection) > 0;
      // A script the other ecosystem declares (package.json "lint") is the project's own
      // tooling for its part of the code: both run. A test script runs only with tests.
      const declared = name !== 'test' && top.guess.rank === 2;
      chosenFrom = mine;
      if (bothSuites || declared) {
        chosen = {
          ...mine.guess,
          command: `${mine.guess.command} && ${top.guess.command}`,
          source: `${mine.guess.source} + ${top.guess.source}`,
          sure: mine.guess.sure && top.guess.sure,
          evidence: [
            ...(await resolveEvidence(ctx, mine.guess, mine.detection.manifest)),
            ...(await resolveEvidence(ctx, top.guess, top.detection.manifest)),
          ],
          notes: [
            bothSuites
              ? `two suites: ${main} (${testsOf(mine.detection)} test files) and ${other} (${testsOf(top.detection)} test files), both run`
              : `${main} is the main language; ${top.guess.source} covers the ${other} side: both run`,
          ],
        };
      } else {
        chosen = {
          ...mine.guess,
          notes: [
            ...(mine.guess.notes ?? []),
            `${top.guess.command} (${top.guess.source}) set aside: ${main} is the main language${name === 'test' ? `, and ${other} has no test files` : ''}`,
          ],
        };
      }
    }
    const asides = results.flatMap((d) => d?.setAside?.[name] ?? []);
    if (asides.length) chosen = { ...chosen, notes: [...(chosen.notes ?? []), ...asides] };
    commands[name] = chosen.command;
    commandSources[name] = {
      command: chosen.command,
      source: chosen.source,
      sure: chosen.sure,
      confidence: chosen.sure ? 'conventional' : 'guess',
      evidence: await resolveEvidence(ctx, chosen, chosenFrom.detection.manifest),
      ...(chosen.notes?.length ? { notes: chosen.notes } : {}),
    };
  }
  await applyCaveats(ctx, commandSources);
  return {
    packageManagers,
    frameworks: [...frameworks].sort(),
    commands,
    commandSources,
    workspaces,
  };
}

function primaryLanguage(d: Detection, linesOf: Map<string, number>): string {
  const langs = [...(d.languages ?? [])].sort(
    (a, b) => (linesOf.get(b) ?? 0) - (linesOf.get(a) ?? 0),
  );
  return langs[0] ?? 'the main ecosystem';
}
