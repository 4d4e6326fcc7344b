/**
 * What counts as a test file for the integrity guard: the naming conventions of the
 * ecosystems mmm detects, plus the files the test runners themselves named in earlier
 * results of the run (a suite in an unusual place is still a suite).
 */

/** Extensions of source code (a README under tests/ is not a test). */
const CODE = new Set([
  'js', 'jsx', 'ts', 'tsx', 'mjs', 'cjs', 'mts', 'cts', 'py', 'go', 'rs', 'rb', 'java', 'kt',
  'kts', 'scala', 'groovy', 'cs', 'fs', 'vb', 'php', 'swift', 'm', 'mm', 'c', 'cc', 'cpp', 'cxx',
  'h', 'hpp', 'ex', 'exs', 'erl', 'dart', 'lua', 'pl', 't', 'sh', 'bats', 'clj', 'hs', 'ml',
  'zig', 'r', 'jl', 'feature',
]); // prettier-ignore

/** File names that are tests wherever they are. */
const NAME_PATTERNS: RegExp[] = [
  // JS/TS and friends: add.test.ts, add.spec.js, add.e2e-spec.ts, add.tests.mjs
  /\.(?:test|spec|tests|specs|e2e-spec|e2e)\.[A-Za-z0-9]+$/,
  // Python
  /^test_.+\.py$/,
  /_test\.py$/,
  /^conftest\.py$/,
  // Go, Ruby/minitest, Elixir, Dart, Deno, C/C++ (gtest), Rust integration tests
  /_test\.(?:go|rb|exs|dart|ts|js|mjs|tsx|cc|cpp|cxx|c|rs|php|kt|swift|lua|zig)$/,
  // RSpec
  /_spec\.rb$/,
  /^test_.+\.(?:rb|c|cc|cpp|lua|sh)$/,
  // JUnit, Kotlin, Scala, Groovy/Spock, .NET, PHPUnit, XCTest
  /(?:Test|Tests|IT|Spec|Specs)\.(?:java|kt|kts|scala|groovy|cs|fs|vb|php|swift|m)$/,
  /^Test[A-Z]\w*\.(?:java|kt|php|swift)$/,
  // shell test frameworks
  /\.bats$/,
];

/** Directories whose code files are tests (src/test/java, tests/, __tests__, spec/, Foo.Tests/). */
const DIR_PATTERNS: RegExp[] = [
  /^(?:test|tests|__tests__|spec|e2e|testing|Tests|UnitTests|IntegrationTests)$/,
  /^.+\.(?:Tests?|UnitTests|IntegrationTests|Specs?)$/,
  /^.+Tests$/,
];

/** Third-party code vendored into the repository is not the project's suite. */
const VENDORED = /(?:^|\/)(?:node_modules|vendor|third_party|\.git)\//;

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Normalise a path as a report might give it: forward slashes, no leading `./`. */
export function normalizeRepoPath(path: string, root?: string): string {
  let p = path.replace(/\\/g, '/');
  if (root) {
    const r = root.replace(/\\/g, '/').replace(/\/+$/, '');
    if (p.startsWith(`${r}/`)) p = p.slice(r.length + 1);
  }
  return p.replace(/^(?:\.\/)+/, '');
}

/** Whether the file NAME of `path` marks it as a test (`*.test.ts`, `test_*.py`, `*_test.go` …). */
export function isTestName(path: string): boolean {
  const name = normalizeRepoPath(path).split('/').at(-1) ?? '';
  return NAME_PATTERNS.some((re) => re.test(name));
}

/** Whether `path` names source code (by its extension), outside vendored code. */
export function isCodeFile(path: string): boolean {
  const p = normalizeRepoPath(path);
  return !VENDORED.test(p) && CODE.has(extensionOf(p.split('/').at(-1) ?? ''));
}

/** Whether `path` (repository-relative, forward slashes) is a test file by convention. */
export function isTestPath(path: string): boolean {
  const p = normalizeRepoPath(path);
  if (VENDORED.test(p)) return false;
  const parts = p.split('/');
  const name = parts.at(-1) ?? '';
  if (NAME_PATTERNS.some((re) => re.test(name))) return true;
  if (!CODE.has(extensionOf(name))) return false;
  return parts.slice(0, -1).some((dir) => DIR_PATTERNS.some((re) => re.test(dir)));
}

/** Test files: by convention, or named by a test runner in `known`. */
export class TestFiles {
  private readonly known: Set<string>;

  constructor(known: Iterable<string> = []) {
    this.known = new Set([...known].map((p) => normalizeRepoPath(p)));
  }

  has(path: string): boolean {
    const p = normalizeRepoPath(path);
    return this.known.has(p) || isTestPath(p);
  }

  /** Whether the runners named this file (as opposed to matching by name only). */
  named(path: string): boolean {
    return this.known.has(normalizeRepoPath(path));
  }
}

/** The test files the per-test reports of `results` name, relative to `root`. */
export function testFilesOf(
  results: readonly { tests?: { tests: readonly { file?: string }[] } }[],
  root?: string,
): string[] {
  const out = new Set<string>();
  for (const r of results) {
    for (const t of r.tests?.tests ?? []) {
      if (!t.file) continue;
      const p = normalizeRepoPath(t.file, root);
      if (!p.startsWith('/') && !p.startsWith('../')) out.add(p);
    }
  }
  return [...out];
}
