import type { Detection, DetectorContext, Workspace } from '../types.js';
import { type Commands, dirOf, frameworksFrom, guess, isRecord, manifests, offer } from './util.js';

/** Cargo projects and workspaces. */
const FRAMEWORKS: Record<string, string> = {
  'actix-web': 'actix',
  axum: 'axum',
  rocket: 'rocket',
  warp: 'warp',
  tokio: 'tokio',
  tauri: 'tauri',
  bevy: 'bevy',
  leptos: 'leptos',
};

function depNames(doc: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const key of ['dependencies', 'dev-dependencies']) {
    if (isRecord(doc[key])) names.push(...Object.keys(doc[key]));
  }
  const ws = isRecord(doc.workspace) ? doc.workspace : {};
  if (isRecord(ws.dependencies)) names.push(...Object.keys(ws.dependencies));
  return names;
}

export async function detectRust(ctx: DetectorContext): Promise<Detection | null> {
  const all = manifests(ctx, 'Cargo.toml');
  if (all.length === 0) return null;
  const frameworks = new Set<string>();
  // Crates that declare their own [workspace] (cargo-fuzz's fuzz/) are separate projects.
  const ownWorkspace = new Set<string>();
  for (const file of all) {
    const doc = await ctx.readToml(file);
    if (!doc) continue;
    if (file !== 'Cargo.toml' && isRecord(doc.workspace)) ownWorkspace.add(dirOf(file));
    else for (const f of frameworksFrom(depNames(doc), FRAMEWORKS)) frameworks.add(f);
  }
  if (!ctx.has('Cargo.toml'))
    return { packageManagers: ['cargo'], frameworks: [...frameworks], languages: ['Rust'] };
  const root = (await ctx.readToml('Cargo.toml')) ?? {};
  const workspaces: Workspace[] = [];
  const isWorkspace = isRecord(root.workspace);
  const flag = isWorkspace ? ' --workspace' : '';
  if (isWorkspace) {
    const ws = root.workspace as Record<string, unknown>;
    const globs = (key: string) =>
      (Array.isArray(ws[key]) ? ws[key] : [])
        .filter((p): p is string => typeof p === 'string')
        .map((p) => p.replace(/^\.\//, '').replace(/\/$/, ''));
    const { default: picomatch } = await import('picomatch');
    const members = globs('members');
    const isMember = members.length ? picomatch(members) : () => true;
    const excluded = globs('exclude');
    const isExcluded = excluded.length ? picomatch(excluded) : () => false;
    const packages = all
      .filter((f) => f !== 'Cargo.toml')
      .map(dirOf)
      .filter((d) => !ownWorkspace.has(d) && isMember(d) && !isExcluded(d))
      .sort();
    workspaces.push({ tool: 'cargo', packages });
  }
  const commands: Commands = {};
  offer(commands, 'build', guess(`cargo build${flag}`, 'Cargo.toml', 1));
  offer(commands, 'test', guess(`cargo test${flag}`, 'Cargo.toml', 1));
  offer(commands, 'lint', guess(`cargo clippy${flag}`, 'Cargo.toml', 1));
  offer(commands, 'typecheck', guess(`cargo check${flag}`, 'Cargo.toml', 1));
  offer(commands, 'format', guess('cargo fmt', 'Cargo.toml', 1));
  return {
    packageManagers: ['cargo'],
    manifest: 'Cargo.toml',
    frameworks: [...frameworks],
    commands,
    workspaces,
    languages: ['Rust'],
  };
}
