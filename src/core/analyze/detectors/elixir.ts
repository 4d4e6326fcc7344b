import type { Detection, DetectorContext } from '../types.js';
import { type Commands, guess, offer } from './util.js';

/** Mix projects (and umbrella apps). */
const FRAMEWORKS: [RegExp, string][] = [
  [/\{:phoenix,/, 'phoenix'],
  [/\{:phoenix_live_view,/, 'phoenix-liveview'],
  [/\{:ecto(_sql)?,/, 'ecto'],
  [/\{:nerves,/, 'nerves'],
];

export async function detectElixir(ctx: DetectorContext): Promise<Detection | null> {
  if (!ctx.has('mix.exs')) return null;
  const mix = (await ctx.readText('mix.exs')) ?? '';
  const frameworks = FRAMEWORKS.filter(([re]) => re.test(mix)).map(([, n]) => n);
  const commands: Commands = {};
  offer(commands, 'build', guess('mix compile', 'mix.exs', 1));
  offer(commands, 'test', guess('mix test', 'mix.exs', 1));
  if (/\{:credo,/.test(mix)) offer(commands, 'lint', guess('mix credo', 'credo dependency', 1));
  if (/\{:dialyxir,/.test(mix))
    offer(commands, 'typecheck', guess('mix dialyzer', 'dialyxir dependency', 1));
  else offer(commands, 'typecheck', guess('mix compile --warnings-as-errors', 'mix.exs', 1, false));
  offer(
    commands,
    'format',
    guess(
      'mix format',
      ctx.has('.formatter.exs') ? '.formatter.exs' : 'mix.exs',
      1,
      ctx.has('.formatter.exs'),
    ),
  );
  const umbrella = /apps_path:/.test(mix);
  const workspaces = umbrella
    ? [
        {
          tool: 'mix',
          packages: [
            ...new Set(
              ctx
                .named('mix.exs')
                .filter((f) => f !== 'mix.exs')
                .map((f) => f.slice(0, f.lastIndexOf('/'))),
            ),
          ].sort(),
        },
      ]
    : [];
  return {
    packageManagers: ['mix'],
    manifest: 'mix.exs',
    frameworks,
    commands,
    workspaces,
    languages: ['Elixir'],
  };
}
