import type { Detection, DetectorContext } from '../types.js';
import { type Commands, frameworksFrom, guess, offer } from './util.js';

/** Bundler projects: rails, rake, rspec, rubocop, sorbet. */
const FRAMEWORKS: Record<string, string> = {
  rails: 'rails',
  railties: 'rails',
  sinatra: 'sinatra',
  hanami: 'hanami',
  rspec: 'rspec',
  'rspec-core': 'rspec',
  'rspec-rails': 'rspec',
  minitest: 'minitest',
};

function gems(gemfile: string): string[] {
  return [...gemfile.matchAll(/^\s*gem\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
}

export async function detectRuby(ctx: DetectorContext): Promise<Detection | null> {
  const gemspecs = ctx.files.filter((f) => !f.includes('/') && f.endsWith('.gemspec'));
  if (!ctx.has('Gemfile') && gemspecs.length === 0 && !ctx.has('Rakefile')) return null;
  const gemfile = (await ctx.readText('Gemfile')) ?? '';
  let deps = gems(gemfile);
  for (const spec of gemspecs) {
    const text = (await ctx.readText(spec)) ?? '';
    deps = deps.concat(
      [...text.matchAll(/add_(?:development_|runtime_)?dependency\s*\(?\s*['"]([^'"]+)['"]/g)].map(
        (m) => m[1] ?? '',
      ),
    );
  }
  const frameworks = frameworksFrom(deps, FRAMEWORKS);
  const bundler = ctx.has('Gemfile');
  const be = bundler ? 'bundle exec ' : '';
  const rails = frameworks.includes('rails') && ctx.has('bin/rails');
  const rakefile = (await ctx.readText('Rakefile')) ?? '';
  const commands: Commands = {};
  const rspec =
    ctx.has('.rspec') ||
    deps.some((d) => d.startsWith('rspec')) ||
    ctx.files.some((f) => /^spec\/.*_spec\.rb$/.test(f));
  if (rspec) offer(commands, 'test', guess(`${be}rspec`, 'rspec', 1));
  else if (rails) offer(commands, 'test', guess('bin/rails test', 'rails', 1));
  else if (/Rake::TestTask|task\s+:?test|:test\b/.test(rakefile))
    offer(commands, 'test', guess(`${be}rake test`, 'Rakefile test task', 1));
  else if (rakefile && /task\s+default/.test(rakefile))
    offer(commands, 'test', guess(`${be}rake`, 'Rakefile default task', 1, false));
  if (ctx.has('.rubocop.yml') || deps.includes('rubocop')) {
    offer(commands, 'lint', guess(`${be}rubocop`, 'rubocop', 1));
    offer(commands, 'format', guess(`${be}rubocop -a`, 'rubocop', 1, false));
  } else if (deps.includes('standard')) {
    offer(commands, 'lint', guess(`${be}standardrb`, 'standard gem', 1));
    offer(commands, 'format', guess(`${be}standardrb --fix`, 'standard gem', 1));
  }
  if (deps.includes('sorbet') || ctx.has('sorbet/config'))
    offer(commands, 'typecheck', guess(`${be}srb tc`, 'sorbet', 1));
  else if (deps.includes('steep') || ctx.has('Steepfile'))
    offer(commands, 'typecheck', guess(`${be}steep check`, 'steep', 1));
  if (gemspecs[0] && /bundler\/gem_tasks/.test(rakefile))
    offer(commands, 'build', guess(`${be}rake build`, 'bundler gem tasks', 1));
  else if (gemspecs[0]) offer(commands, 'build', guess(`gem build ${gemspecs[0]}`, gemspecs[0], 1));
  const manifest = bundler ? 'Gemfile' : (gemspecs[0] ?? 'Rakefile');
  return {
    packageManagers: bundler ? ['bundler'] : [],
    manifest,
    frameworks,
    commands,
    languages: ['Ruby'],
  };
}
