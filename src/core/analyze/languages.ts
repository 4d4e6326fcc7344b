/**
 * File name → language. `kind` separates programming languages (which decide the
 * primary language and the test ratio) from build files, markup, data and prose.
 */
export type LanguageKind = 'programming' | 'build' | 'markup' | 'data' | 'prose';

export interface LanguageInfo {
  name: string;
  kind: LanguageKind;
}

const P = (name: string): LanguageInfo => ({ name, kind: 'programming' });
const M = (name: string): LanguageInfo => ({ name, kind: 'markup' });
const D = (name: string): LanguageInfo => ({ name, kind: 'data' });
const T = (name: string): LanguageInfo => ({ name, kind: 'prose' });
const B = (name: string): LanguageInfo => ({ name, kind: 'build' });

const BY_EXTENSION = new Map<string, LanguageInfo>(
  Object.entries({
    ts: P('TypeScript'),
    tsx: P('TypeScript'),
    mts: P('TypeScript'),
    cts: P('TypeScript'),
    js: P('JavaScript'),
    jsx: P('JavaScript'),
    mjs: P('JavaScript'),
    cjs: P('JavaScript'),
    vue: P('Vue'),
    svelte: P('Svelte'),
    astro: P('Astro'),
    py: P('Python'),
    pyi: P('Python'),
    rs: P('Rust'),
    go: P('Go'),
    java: P('Java'),
    kt: P('Kotlin'),
    kts: P('Kotlin'),
    scala: P('Scala'),
    groovy: P('Groovy'),
    gradle: B('Gradle'),
    clj: P('Clojure'),
    rb: P('Ruby'),
    rake: P('Ruby'),
    gemspec: P('Ruby'),
    php: P('PHP'),
    ex: P('Elixir'),
    exs: P('Elixir'),
    erl: P('Erlang'),
    cs: P('C#'),
    fs: P('F#'),
    vb: P('Visual Basic'),
    c: P('C'),
    h: P('C'),
    cc: P('C++'),
    cpp: P('C++'),
    cxx: P('C++'),
    hpp: P('C++'),
    hh: P('C++'),
    m: P('Objective-C'),
    swift: P('Swift'),
    dart: P('Dart'),
    lua: P('Lua'),
    pl: P('Perl'),
    r: P('R'),
    jl: P('Julia'),
    hs: P('Haskell'),
    ml: P('OCaml'),
    zig: P('Zig'),
    nim: P('Nim'),
    sh: P('Shell'),
    bash: P('Shell'),
    zsh: P('Shell'),
    fish: P('Shell'),
    ps1: P('PowerShell'),
    sql: P('SQL'),
    html: M('HTML'),
    htm: M('HTML'),
    css: M('CSS'),
    scss: M('SCSS'),
    sass: M('SCSS'),
    less: M('Less'),
    xml: D('XML'),
    json: D('JSON'),
    jsonc: D('JSON'),
    json5: D('JSON'),
    yml: D('YAML'),
    yaml: D('YAML'),
    toml: D('TOML'),
    ini: D('INI'),
    csv: D('CSV'),
    proto: D('Protocol Buffers'),
    graphql: D('GraphQL'),
    md: T('Markdown'),
    mdx: T('Markdown'),
    rst: T('reStructuredText'),
    txt: T('Text'),
    tex: M('TeX'),
  }),
);

const BY_NAME = new Map<string, LanguageInfo>(
  Object.entries({
    Makefile: B('Makefile'),
    GNUmakefile: B('Makefile'),
    makefile: B('Makefile'),
    Dockerfile: B('Dockerfile'),
    Rakefile: P('Ruby'),
    Gemfile: P('Ruby'),
    Jenkinsfile: P('Groovy'),
    justfile: B('Just'),
    'CMakeLists.txt': B('CMake'),
  }),
);
const CMAKE = B('CMake');
const CMAKE_LISTS = 'CMakeLists.txt';

/**
 * Called once per file of trees with tens of thousands: one slice and one Map lookup for
 * a file with an extension (a property lookup with a fresh string key costs more).
 */
export function languageOf(path: string): LanguageInfo | undefined {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  // No extension, or a dot file: only the name can say.
  if (dot <= slash + 1) return BY_NAME.get(path.slice(slash + 1));
  const ext = path.slice(dot + 1);
  // The one name with a dot in the table.
  if (ext === 'txt' && path.length - slash - 1 === CMAKE_LISTS.length && path.endsWith(CMAKE_LISTS))
    return BY_NAME.get(CMAKE_LISTS);
  const info = BY_EXTENSION.get(ext);
  if (info) return info;
  const lower = ext.toLowerCase();
  if (lower === 'cmake') return CMAKE;
  return lower === ext ? undefined : BY_EXTENSION.get(lower);
}

const LOCKFILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  'bun.lock',
  'Cargo.lock',
  'poetry.lock',
  'uv.lock',
  'Pipfile.lock',
  'pdm.lock',
  'Gemfile.lock',
  'composer.lock',
  'mix.lock',
  'go.sum',
  'packages.lock.json',
  'gradle.lockfile',
]);

/** Lock files and minified bundles: counted in languages, never in the largest files. */
export function isGenerated(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return LOCKFILES.has(base) || /\.min\.(js|css)$/.test(base) || base.endsWith('.map');
}

// .NET test projects live in folders named like the project: Foo.Tests/, Foo.UnitTests/.
const TEST_DIR =
  /(^|\/)((tests?|__tests__|spec|specs|testing)|[^/]+[.](Tests?|UnitTests|IntegrationTests|FunctionalTests|Specs))\//;
// Deno's default pattern: {*_,*.,}test.{ts,tsx,mts,js,mjs,jsx}.
const TEST_FILE =
  /(\.(test|spec)\.[a-z]+$)|(_test\.(go|py|exs?|rb|cc|cpp|c|ts|tsx|mts|js|mjs|jsx)$)|(^|\/)test\.(ts|tsx|mts|js|mjs|jsx)$|(^|\/)(test_[^/]+|tests)\.py$|(_spec\.rb$)|((Test|Tests|IT|Spec)\.(java|kt|scala|cs|fs|vb|groovy|swift)$)/;

/** A source file that is a test, by the conventions of its ecosystem. */
export function isTestFile(path: string): boolean {
  return TEST_FILE.test(path) || TEST_DIR.test(path);
}
