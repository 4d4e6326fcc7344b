/**
 * Whether a command's run shows it cannot run at all (exit 126/127, a missing tool or
 * module, a missing script), and what to install. Anything else that exits non-zero
 * ran and failed.
 */
const HINTS: [RegExp, string][] = [
  [/^(node|npm|npx)$/, 'install Node.js (https://nodejs.org)'],
  [/^pnpm$/, 'install pnpm: corepack enable pnpm'],
  [/^yarn$/, 'install yarn: corepack enable yarn'],
  [/^(bun|bunx)$/, 'install Bun (https://bun.sh)'],
  [/^(cargo|rustc|rustup)$/, 'install Rust with rustup (https://rustup.rs)'],
  [/^(go|gofmt)$/, 'install Go (https://go.dev/dl)'],
  [/^golangci-lint$/, 'install golangci-lint (https://golangci-lint.run/welcome/install/)'],
  [/^(python3?|pip3?)$/, 'install Python 3'],
  [/^uv$/, 'install uv: pipx install uv (https://docs.astral.sh/uv/)'],
  [/^poetry$/, 'install Poetry: pipx install poetry'],
  [/^(pdm|pipenv|tox|nox|hatch)$/, 'install it: pipx install <tool>'],
  [
    /^(pytest|ruff|mypy|black|flake8|pylint|pyright|isort|coverage)$/,
    'install the Python dev dependencies (e.g. pip install -e ".[dev]", uv sync)',
  ],
  [
    /^(mix|elixir|iex)$/,
    'install Elixir (https://elixir-lang.org/install.html), then mix deps.get',
  ],
  [/^dotnet$/, 'install the .NET SDK (https://dot.net)'],
  [/^(bundle|gem|ruby)$/, 'install Ruby and Bundler: gem install bundler'],
  [/^(rspec|rubocop|rake|rails|srb|steep|standardrb)$/, 'install the gems: bundle install'],
  [/^(php|composer)$/, 'install PHP and Composer (https://getcomposer.org)'],
  [/^vendor\/bin\//, 'install the PHP dependencies: composer install'],
  [/^(mvn|\.\/mvnw)$/, 'install a JDK and Maven'],
  [/^(gradle|\.\/gradlew)$/, 'install a JDK (the Gradle wrapper needs one)'],
  [/^make$/, 'install make (apt-get install make)'],
  [/^just$/, 'install just (https://just.systems)'],
  [/^task$/, 'install Task (https://taskfile.dev)'],
  [/^deno$/, 'install Deno (https://deno.com)'],
  [/^(swift|swiftlint)$/, 'install Swift (https://swift.org/install)'],
  [/^(dart|flutter)$/, 'install the Dart or Flutter SDK (https://dart.dev/get-dart)'],
  [/^(cmake|ctest)$/, 'install CMake (https://cmake.org/download)'],
  [
    /^(jest|vitest|mocha|eslint|tsc|prettier|biome|vite|next|tsx|ts-node)$/,
    'install the Node dependencies (npm ci, pnpm install, yarn install)',
  ],
];

function hintFor(tool: string): string {
  const name = tool.replace(/^.*node_modules\/\.bin\//, '');
  for (const [re, hint] of HINTS) if (re.test(name)) return `${tool} is missing: ${hint}`;
  return `${tool} is missing: install it, or set the command in .mmm/config.toml`;
}

/** The install hint when the command cannot run, else undefined. */
export function cannotRun(
  command: string,
  exitCode: number | null,
  output: string,
  spawnError?: string,
): string | undefined {
  if (spawnError) return `the shell could not start: ${spawnError}`;
  const notFound =
    /(?:^|\n)(?:[^\n:]*: )?(?:line \d+: )?(?:\d+: )?([^\s:'"`]+): (?:command )?not found/.exec(
      output,
    ) ?? /(?:^|\n)[^\n]*?([^\s:'"`]+): No such file or directory/.exec(output);
  const module = /No module named '?([\w.-]+)/.exec(output);
  const cargoSub = /no such (?:sub)?command:? [`']?([\w-]+)/.exec(output);
  const npx = /npx canceled due to missing packages|could not determine executable to run/.test(
    output,
  );
  const script =
    /Missing script: "?([\w:.-]+)|Command "([\w:.-]+)" not found|ERR_PNPM_NO_SCRIPT/.exec(output);
  if (exitCode === 126)
    return `${command.split(/\s+/)[0]} is not executable (exit 126): chmod +x it`;
  if (exitCode === 0) return undefined;
  // make reports a recipe's missing tool as `make: *** [Makefile:4: lint] Error 127`.
  const code127 = exitCode === 127 || /\] Error 127\b/.test(output);
  if (code127 || notFound?.[1]) {
    const tool = notFound?.[1] ?? command.split(/\s+/)[0] ?? command;
    if (code127 || command.includes(tool)) return hintFor(tool);
  }
  if (cargoSub?.[1] && /^cargo\b/.test(command)) {
    const sub = cargoSub[1];
    const component = sub === 'fmt' ? 'rustfmt' : sub;
    return `cargo ${sub} is missing: rustup component add ${component}`;
  }
  if (
    module?.[1] &&
    /^(pytest|ruff|mypy|black|flake8|pylint|isort|coverage|django|pip)$/i.test(module[1])
  )
    return hintFor(module[1].toLowerCase());
  if (npx)
    return hintFor(command.replace(/^(npx|pnpm exec|bunx|yarn)\s+/, '').split(/\s+/)[0] ?? 'tool');
  if (script) return `the script ${script[1] ?? script[2] ?? ''} is not defined: fix the command`;
  return undefined;
}
