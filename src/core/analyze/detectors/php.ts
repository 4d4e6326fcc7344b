import type { CommandName, Detection, DetectorContext } from '../types.js';
import { type Commands, firstKey, frameworksFrom, guess, isRecord, offer } from './util.js';

/** Composer projects: composer scripts first, then the vendor/bin tools they configure. */
const FRAMEWORKS: Record<string, string> = {
  'laravel/framework': 'laravel',
  'symfony/framework-bundle': 'symfony',
  'symfony/symfony': 'symfony',
  'slim/slim': 'slim',
  'cakephp/cakephp': 'cakephp',
  'phpunit/phpunit': 'phpunit',
  'pestphp/pest': 'pest',
};

const SCRIPTS: Record<CommandName, string[]> = {
  build: ['build'],
  test: ['test', 'tests', 'phpunit'],
  lint: ['lint', 'cs', 'cs-check', 'phpcs'],
  typecheck: ['analyse', 'analyze', 'phpstan', 'psalm', 'stan'],
  format: ['format', 'fix', 'cs-fix', 'php-cs-fixer'],
};

export async function detectPhp(ctx: DetectorContext): Promise<Detection | null> {
  if (!ctx.has('composer.json')) return null;
  const raw = await ctx.readJson('composer.json');
  const composer = isRecord(raw) ? raw : {};
  const deps = [
    ...Object.keys(isRecord(composer.require) ? composer.require : {}),
    ...Object.keys(isRecord(composer['require-dev']) ? composer['require-dev'] : {}),
  ];
  const frameworks = frameworksFrom(deps, FRAMEWORKS);
  const scripts = isRecord(composer.scripts) ? composer.scripts : {};
  const commands: Commands = {};
  for (const name of Object.keys(SCRIPTS) as CommandName[]) {
    const script = firstKey(scripts, SCRIPTS[name]);
    if (script)
      offer(commands, name, guess(`composer ${script}`, `composer.json scripts.${script}`, 2));
  }
  const has = (d: string) => deps.includes(d);
  if (frameworks.includes('laravel') && ctx.has('artisan'))
    offer(commands, 'test', guess('php artisan test', 'laravel', 1));
  else if (has('pestphp/pest'))
    offer(commands, 'test', guess('vendor/bin/pest', 'pest dependency', 1));
  else if (ctx.has('phpunit.xml') || ctx.has('phpunit.xml.dist') || has('phpunit/phpunit')) {
    offer(commands, 'test', guess('vendor/bin/phpunit', 'phpunit configuration', 1));
  }
  // phpstan reads phpstan.neon, phpstan.neon.dist or phpstan.dist.neon by itself; any other
  // config (phpstan.src.neon…) must be named, and without one it has nothing to analyse.
  const defaultNeon = ['phpstan.neon', 'phpstan.neon.dist', 'phpstan.dist.neon'].find((f) =>
    ctx.has(f),
  );
  const otherNeon = ctx.files.find(
    (f) => /^phpstan[^/]*\.neon(\.dist)?$/.test(f) && !/baseline/.test(f),
  );
  if (defaultNeon) {
    offer(
      commands,
      'typecheck',
      guess('vendor/bin/phpstan analyse', `${defaultNeon} (phpstan)`, 1, true, [
        { file: defaultNeon },
      ]),
    );
  } else if (otherNeon) {
    offer(
      commands,
      'typecheck',
      guess(
        `vendor/bin/phpstan analyse -c ${otherNeon}`,
        `${otherNeon} (phpstan)`,
        1,
        true,
        [{ file: otherNeon }],
        [`no default phpstan config: ${otherNeon} named with -c`],
      ),
    );
  } else if (has('phpstan/phpstan')) {
    const dir = ['src', 'app', 'lib'].find(
      (d) => ctx.dirs().has(d) || ctx.files.some((f) => f.startsWith(`${d}/`)),
    );
    offer(
      commands,
      'typecheck',
      guess(
        `vendor/bin/phpstan analyse${dir ? ` ${dir}` : ''}`,
        'phpstan dependency (no config file)',
        1,
        false,
        [{ file: 'composer.json', key: 'require-dev.phpstan/phpstan' }],
        ['phpstan has no config file: the paths to analyse were guessed'],
      ),
    );
  } else if (ctx.has('psalm.xml') || ctx.has('psalm.xml.dist') || has('vimeo/psalm')) {
    offer(commands, 'typecheck', guess('vendor/bin/psalm', 'psalm configuration', 1));
  }
  if (has('laravel/pint')) {
    offer(commands, 'format', guess('vendor/bin/pint', 'pint dependency', 1));
    offer(commands, 'lint', guess('vendor/bin/pint --test', 'pint dependency', 1));
  } else if (
    ctx.has('.php-cs-fixer.php') ||
    ctx.has('.php-cs-fixer.dist.php') ||
    has('friendsofphp/php-cs-fixer')
  ) {
    offer(
      commands,
      'format',
      guess('vendor/bin/php-cs-fixer fix', 'php-cs-fixer configuration', 1),
    );
    offer(
      commands,
      'lint',
      guess('vendor/bin/php-cs-fixer fix --dry-run --diff', 'php-cs-fixer configuration', 1),
    );
  } else if (
    ctx.has('phpcs.xml') ||
    ctx.has('phpcs.xml.dist') ||
    has('squizlabs/php_codesniffer')
  ) {
    offer(commands, 'lint', guess('vendor/bin/phpcs', 'phpcs configuration', 1));
    offer(commands, 'format', guess('vendor/bin/phpcbf', 'phpcs configuration', 1));
  }
  return {
    packageManagers: ['composer'],
    manifest: 'composer.json',
    frameworks,
    commands,
    languages: ['PHP'],
  };
}
