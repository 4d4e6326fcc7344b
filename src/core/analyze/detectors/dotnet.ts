import type { Detection, DetectorContext, Evidence } from '../types.js';
import { type Commands, guess, isSampleManifest, offer } from './util.js';
import { compareText } from '../order.js';

/**
 * .NET solutions and projects (C#, F#, VB). The solution (`.sln` or `.slnx`) at the
 * shallowest level drives every command; without one, the main project builds and the
 * test projects (`*.Tests`, `*.UnitTests`, or referencing Microsoft.NET.Test.Sdk) test.
 * Fuzz, benchmark and sample projects never drive a command.
 */
const FRAMEWORKS: [RegExp, string][] = [
  [/Microsoft\.AspNetCore|Sdk="Microsoft\.NET\.Sdk\.Web"/, 'aspnetcore'],
  [/Include="xunit/, 'xunit'],
  [/Include="NUnit/, 'nunit'],
  [/Include="MSTest/, 'mstest'],
];

const TEST_PROJECT =
  /[.](Tests?|UnitTests|IntegrationTests|FunctionalTests|Specs)\.(cs|fs|vb)proj$/;
const SIDE_PROJECT = /(^|[/.])(fuzz|fuzzing|benchmarks?|perf|samples?|examples?)([/.]|$)/i;
const MAX_TEST_PROJECTS = 4;

function depth(path: string): number {
  return path.split('/').length;
}

function byDepth(a: string, b: string): number {
  return depth(a) - depth(b) || compareText(a, b);
}

export async function detectDotnet(ctx: DetectorContext): Promise<Detection | null> {
  const projects = ctx.files
    .filter((f) => /\.(cs|fs|vb)proj$/.test(f) && !isSampleManifest(f))
    .sort(byDepth);
  const solutions = ctx.files
    .filter((f) => /\.slnx?$/.test(f) && !isSampleManifest(f))
    .sort(byDepth);
  if (projects.length === 0 && solutions.length === 0) return null;
  if (projects.length > 200)
    ctx.warn(`${projects.length} .NET projects found: only the 200 shallowest were read`);
  const texts = new Map<string, string>();
  for (const p of projects.slice(0, 200)) texts.set(p, (await ctx.readText(p)) ?? '');
  const all = [...texts.values()].join('\n');
  const frameworks = FRAMEWORKS.filter(([re]) => re.test(all)).map(([, n]) => n);
  const isTest = (p: string) =>
    TEST_PROJECT.test(p) ||
    /Include="Microsoft\.NET\.Test\.Sdk"|<IsTestProject>\s*true/i.test(texts.get(p) ?? '');
  const commands: Commands = {};
  const languages = ['C#', 'F#', 'Visual Basic'];

  const shallowest = solutions[0]
    ? solutions.filter((s) => depth(s) === depth(solutions[0] ?? ''))
    : [];
  if (shallowest.length > 0) {
    // dotnet finds a lone solution in the current directory by itself; otherwise name it.
    const sln = shallowest[0] as string;
    const sure = shallowest.length === 1;
    const target =
      sure &&
      !sln.includes('/') &&
      solutions.filter((s) => !s.includes('/')).length === 1 &&
      !projects.some((p) => !p.includes('/'))
        ? ''
        : ` ${sln}`;
    const evidence: Evidence[] = [{ file: sln }];
    const notes =
      shallowest.length > 1
        ? [
            `${shallowest.length} solutions at the same level (${shallowest.join(', ')}): ${sln} chosen`,
          ]
        : undefined;
    const src = `${sln} (solution)`;
    offer(commands, 'build', guess(`dotnet build${target}`, src, 1, sure, evidence, notes));
    offer(commands, 'test', guess(`dotnet test${target}`, src, 1, sure, evidence, notes));
    offer(
      commands,
      'lint',
      guess(`dotnet format${target} --verify-no-changes`, src, 1, sure, evidence, notes),
    );
    offer(commands, 'format', guess(`dotnet format${target}`, src, 1, sure, evidence, notes));
    return { packageManagers: ['dotnet'], frameworks, commands, languages };
  }

  const main = projects.filter((p) => !isTest(p) && !SIDE_PROJECT.test(p));
  const tests = projects.filter((p) => isTest(p) && !SIDE_PROJECT.test(p));
  const lone = projects.length === 1 && !projects[0]?.includes('/');
  const arg = (p: string) => (lone ? '' : ` ${p}`);
  const primary = main[0] ?? projects[0];
  if (primary) {
    const sure = main.length <= 1;
    const notes =
      main.length > 1
        ? [`no solution; ${main.length} projects: ${primary} (the shallowest) chosen`]
        : undefined;
    const ev = [{ file: primary }];
    offer(commands, 'build', guess(`dotnet build${arg(primary)}`, primary, 1, sure, ev, notes));
    offer(
      commands,
      'lint',
      guess(`dotnet format${arg(primary)} --verify-no-changes`, primary, 1, sure, ev, notes),
    );
    offer(commands, 'format', guess(`dotnet format${arg(primary)}`, primary, 1, sure, ev, notes));
  }
  if (tests.length > 0) {
    const shown = tests.slice(0, MAX_TEST_PROJECTS);
    const command = shown.map((t) => `dotnet test${arg(t)}`).join(' && ');
    offer(
      commands,
      'test',
      guess(
        command,
        `test project${shown.length > 1 ? 's' : ''} ${shown.join(', ')}`,
        1,
        tests.length <= MAX_TEST_PROJECTS,
        shown.map((file) => ({ file })),
        tests.length > MAX_TEST_PROJECTS
          ? [
              `${tests.length} test projects and no solution: the first ${MAX_TEST_PROJECTS} run; add a solution`,
            ]
          : undefined,
      ),
    );
  }
  return { packageManagers: ['dotnet'], frameworks, commands, languages };
}
