import { join } from 'node:path';
import { detectorContext } from './context.js';
import { detectAll, type Detected } from './detect.js';
import { COMMAND_NAMES, type LanguageStat } from './types.js';

/**
 * Repositories without a root manifest ("web/" + "server/" side by side): when the
 * root gives no command at all, the top-level sub-projects are analyzed on
 * their own and their commands run from the root, e.g. `cd web && npm test`,
 * or `(cd web && npm test) && (cd server && go test ./...)` for several.
 */
const MANIFEST =
  /^(package\.json|pyproject\.toml|setup\.py|Cargo\.toml|go\.mod|pom\.xml|build\.gradle(\.kts)?|Gemfile|composer\.json|mix\.exs|Makefile|justfile|CMakeLists\.txt|deno\.jsonc?|Package\.swift|pubspec\.yaml|[^/]+\.(sln|csproj|fsproj))$/;
const MAX_SUBPROJECTS = 4;

/** Top-level directories holding a manifest, not already covered by a workspace. */
export function subprojectDirs(
  files: readonly string[],
  workspaceDirs: ReadonlySet<string>,
): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    if (
      parts.length === 2 &&
      parts[0] &&
      !parts[0].startsWith('.') &&
      MANIFEST.test(parts[1] ?? '')
    ) {
      if (!workspaceDirs.has(parts[0])) dirs.add(parts[0]);
    }
  }
  return [...dirs].sort();
}

export async function fillFromSubprojects(
  root: string,
  files: readonly string[],
  detected: Detected,
  languages: LanguageStat[],
  warnings: string[],
  testFiles: ReadonlyMap<string, number> = new Map(),
): Promise<void> {
  // Only for a root that gives no command at all: a root project with a docs/ site
  // or an examples/ app beside it must not borrow their commands.
  if (COMMAND_NAMES.some((n) => detected.commands[n] !== null)) return;
  const missing = COMMAND_NAMES;
  const covered = new Set(
    detected.workspaces.flatMap((w) => w.packages.map((p) => p.split('/')[0] ?? p)),
  );
  const dirs = subprojectDirs(files, covered).slice(0, MAX_SUBPROJECTS);
  if (dirs.length === 0) return;
  const subs: { dir: string; found: Detected }[] = [];
  for (const dir of dirs) {
    const prefix = `${dir}/`;
    const subFiles = files.filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length));
    const ctx = detectorContext(join(root, dir), subFiles, warnings, testFiles);
    const found = await detectAll(ctx, languages);
    subs.push({ dir, found });
    for (const pm of found.packageManagers)
      if (!detected.packageManagers.includes(pm)) detected.packageManagers.push(pm);
    for (const w of found.workspaces) {
      detected.workspaces.push({
        tool: w.tool,
        packages: w.packages.map((p) => (p === '.' ? dir : `${dir}/${p}`)),
      });
    }
  }
  for (const name of missing) {
    const parts = subs.flatMap(({ dir, found }) => {
      const src = found.commandSources[name];
      return src ? [{ dir, src }] : [];
    });
    if (parts.length === 0) continue;
    const command =
      parts.length === 1
        ? `cd ${parts[0]?.dir} && ${parts[0]?.src.command}`
        : parts.map((p) => `(cd ${p.dir} && ${p.src.command})`).join(' && ');
    detected.commands[name] = command;
    detected.commandSources[name] = {
      command,
      source: parts.map((p) => `${p.dir}/: ${p.src.source}`).join('; '),
      sure: parts.every((p) => p.src.sure),
      confidence: parts.every((p) => p.src.sure) ? 'conventional' : 'guess',
      evidence: parts.flatMap((p) =>
        p.src.evidence.map((e) => ({ ...e, file: `${p.dir}/${e.file}` })),
      ),
    };
    const notes = parts.flatMap((p) => (p.src.notes ?? []).map((n) => `${p.dir}/: ${n}`));
    if (notes.length) detected.commandSources[name].notes = notes;
  }
}
