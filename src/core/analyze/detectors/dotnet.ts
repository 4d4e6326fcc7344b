import type { Detection, DetectorContext } from '../types.js';
import { type Commands, guess, offer } from './util.js';

/** .NET solutions and projects (C#, F#, VB). */
const FRAMEWORKS: [RegExp, string][] = [
  [/Microsoft\.AspNetCore|Sdk="Microsoft\.NET\.Sdk\.Web"/, 'aspnetcore'],
  [/Include="xunit/, 'xunit'],
  [/Include="NUnit/, 'nunit'],
  [/Include="MSTest/, 'mstest'],
];

export async function detectDotnet(ctx: DetectorContext): Promise<Detection | null> {
  const projects = ctx.files.filter((f) => /\.(cs|fs|vb)proj$/.test(f)).slice(0, 200);
  const solutions = ctx.files.filter((f) => !f.includes('/') && /\.slnx?$/.test(f));
  if (projects.length === 0 && solutions.length === 0) return null;
  let all = '';
  for (const p of projects) all += `${(await ctx.readText(p)) ?? ''}\n`;
  const frameworks = FRAMEWORKS.filter(([re]) => re.test(all)).map(([, n]) => n);
  const rootProjects = projects.filter((p) => !p.includes('/'));
  const commands: Commands = {};
  // dotnet needs a single solution or project in the directory; otherwise name it.
  const target =
    solutions.length === 1 || (solutions.length === 0 && rootProjects.length === 1)
      ? ''
      : solutions[0]
        ? ` ${solutions[0]}`
        : projects[0]
          ? ` ${projects[0]}`
          : '';
  const sure = solutions.length <= 1;
  offer(
    commands,
    'build',
    guess(`dotnet build${target}`, solutions[0] ?? projects[0] ?? '', 1, sure),
  );
  offer(
    commands,
    'test',
    guess(`dotnet test${target}`, solutions[0] ?? projects[0] ?? '', 1, sure),
  );
  offer(
    commands,
    'lint',
    guess(`dotnet format${target} --verify-no-changes`, 'dotnet format', 1, sure),
  );
  offer(commands, 'format', guess(`dotnet format${target}`, 'dotnet format', 1, sure));
  return {
    packageManagers: ['dotnet'],
    frameworks,
    commands,
    languages: ['C#', 'F#', 'Visual Basic'],
  };
}
