import type { DetectorContext } from '../types.js';
import { isRecord } from './util.js';

/** npm/yarn/bun `workspaces` and pnpm-workspace.yaml: the globs and the packages they match. */
export async function workspaceGlobs(
  ctx: DetectorContext,
  pkg: Record<string, unknown>,
  runner: string,
): Promise<string[]> {
  if (runner === 'pnpm' || ctx.has('pnpm-workspace.yaml')) {
    const text = await ctx.readText('pnpm-workspace.yaml');
    if (text !== null) {
      try {
        // yaml and picomatch load only when a repository needs them: start-up matters.
        const { parse: parseYaml } = await import('yaml');
        const doc: unknown = parseYaml(text);
        if (isRecord(doc) && Array.isArray(doc.packages)) {
          return doc.packages.filter((p): p is string => typeof p === 'string');
        }
      } catch (error) {
        ctx.warn(
          `pnpm-workspace.yaml is not valid YAML (${(error as Error).message.split('\n')[0]}): workspaces ignored`,
        );
      }
    }
  }
  const ws = pkg.workspaces;
  const list = Array.isArray(ws)
    ? ws
    : isRecord(ws) && Array.isArray(ws.packages)
      ? ws.packages
      : [];
  return list.filter((p): p is string => typeof p === 'string');
}

export async function matchPackages(globs: string[], dirs: string[]): Promise<string[]> {
  const include = globs
    .filter((g) => !g.startsWith('!'))
    .map((g) => g.replace(/^\.\//, '').replace(/\/$/, ''));
  const exclude = globs
    .filter((g) => g.startsWith('!'))
    .map((g) => g.slice(1).replace(/^\.\//, '').replace(/\/$/, ''));
  if (include.length === 0) return [];
  const { default: picomatch } = await import('picomatch');
  const isIn = picomatch(include);
  const isOut = exclude.length ? picomatch(exclude) : () => false;
  return dirs.filter((d) => isIn(d) && !isOut(d)).sort();
}
