import type { ProjectEntry } from '../core/projects/registry.js';
import { color } from './colors.js';
import { table } from './table.js';

/** The `mmm projects` table: name, path (missing ones marked), last run. */
export function formatProjects(projects: ProjectEntry[], registryFile: string): string {
  if (projects.length === 0) {
    return `No projects registered yet: run ${color.cyan('mmm init')} in a repository.\n${color.dim(`(registry: ${registryFile})`)}\n`;
  }
  const rows = projects.map((p) => [
    p.missing ? color.dim(p.name) : p.name,
    p.missing ? `${color.dim(p.path)} ${color.red('(missing)')}` : p.path,
    p.lastRun
      ? `${statusColor(p.lastRun.status)} ${color.dim(p.lastRun.at.replace('T', ' ').slice(0, 16))}`
      : color.dim('never run'),
    p.lastRun ? color.dim(p.lastRun.runId) : '',
  ]);
  return table(rows, { header: ['NAME', 'PATH', 'LAST RUN', 'RUN ID'] }) + '\n';
}

function statusColor(status: string): string {
  if (status === 'done' || status === 'completed' || status === 'success')
    return color.green(status);
  if (status === 'failed' || status === 'error') return color.red(status);
  return color.yellow(status);
}
