import type { Detection, DetectorContext, Workspace } from '../types.js';
import { type Commands, frameworksFrom, guess, manifests, offer } from './util.js';

/** Go modules and go.work workspaces. */
const FRAMEWORKS: Record<string, string> = {
  'github.com/gin-gonic/gin': 'gin',
  'github.com/labstack/echo/v4': 'echo',
  'github.com/gofiber/fiber/v2': 'fiber',
  'github.com/go-chi/chi/v5': 'chi',
  'github.com/spf13/cobra': 'cobra',
  'github.com/stretchr/testify': 'testify',
};

function requires(gomod: string): string[] {
  const out: string[] = [];
  const block = /^require\s*\(([\s\S]*?)^\)/gm;
  for (const m of gomod.matchAll(block)) {
    for (const line of (m[1] ?? '').split('\n')) {
      const name = line.trim().split(/\s+/)[0];
      if (name && !name.startsWith('//')) out.push(name);
    }
  }
  for (const m of gomod.matchAll(/^require\s+([^\s(]+)\s/gm)) if (m[1]) out.push(m[1]);
  return out;
}

function workUses(gowork: string): string[] {
  const out: string[] = [];
  for (const m of gowork.matchAll(/^use\s*\(([\s\S]*?)^\)/gm)) {
    for (const line of (m[1] ?? '').split('\n')) {
      const dir = line.trim().split(/\s+/)[0];
      if (dir && !dir.startsWith('//')) out.push(dir);
    }
  }
  for (const m of gowork.matchAll(/^use\s+([^\s(]+)/gm)) if (m[1]) out.push(m[1]);
  return out.map((d) => d.replace(/^\.\//, '').replace(/\/$/, '') || '.').sort();
}

export async function detectGo(ctx: DetectorContext): Promise<Detection | null> {
  const mods = manifests(ctx, 'go.mod', 100);
  if (mods.length === 0 && !ctx.has('go.work')) return null;
  const frameworks = new Set<string>();
  for (const file of mods) {
    const text = await ctx.readText(file);
    if (text) for (const f of frameworksFrom(requires(text), FRAMEWORKS)) frameworks.add(f);
  }
  const workspaces: Workspace[] = [];
  const work = ctx.has('go.work') ? await ctx.readText('go.work') : null;
  if (work !== null) workspaces.push({ tool: 'go', packages: workUses(work) });
  if (!ctx.has('go.mod') && work === null) {
    return { packageManagers: ['go'], frameworks: [...frameworks], languages: ['Go'] };
  }
  const commands: Commands = {};
  const golangci = ctx.files.some((f) => /^\.golangci\.(ya?ml|toml|json)$/.test(f));
  offer(commands, 'build', guess('go build ./...', 'go.mod', 1));
  offer(commands, 'test', guess('go test ./...', 'go.mod', 1));
  offer(
    commands,
    'lint',
    golangci
      ? guess('golangci-lint run', '.golangci config', 1)
      : guess('go vet ./...', 'go.mod', 1),
  );
  offer(commands, 'typecheck', guess('go vet ./...', 'go.mod', 1));
  offer(commands, 'format', guess('go fmt ./...', 'go.mod', 1));
  return {
    packageManagers: ['go'],
    manifest: ctx.has('go.mod') ? 'go.mod' : 'go.work',
    frameworks: [...frameworks],
    commands,
    workspaces,
    languages: ['Go'],
  };
}
