import { CACHED_DIFF, withStagedScratch } from '../git/scratch-index.js';
import { git } from '../git/exec.js';
import { CHECK_CONFIG_GLOBS, isSharedCheckConfig } from './check-config.js';
import { parseDiff, type DiffFile } from './guard-diff.js';
import { TestFiles } from './guard-test-files.js';
import { dirOf, emptiedCandidates, guardViolations, type GuardViolation } from './guard.js';
import {
  commandPathWords,
  globMatcher,
  protectedRules,
  type ProtectedRule,
} from './protected-paths.js';

/**
 * The integrity guard against a real work tree: the attempt's diff from its checkpoint
 * (untracked files included, nothing staged: a throwaway index), the facts the rules need
 * from git, and the rules' verdict.
 */
export interface GuardOptions {
  workDir: string;
  /** The commit the attempt started from. */
  checkpoint: string;
  /** Commands the validation runs, with where each comes from ("the test command"). */
  commands: { command: string; origin: string }[];
  /** Config `validate.protect`. */
  configGlobs: readonly string[];
  /** Spec `protect:` and `allow_edit:`. */
  specGlobs: readonly string[];
  allowEdit: readonly string[];
  /** The spec file, repository-relative. */
  specFile: string;
  /** The run's other spec files: a person's instructions, judged by later (repository-relative). */
  otherSpecFiles?: readonly string[];
  /** Test files the runners named in earlier results (baseline, earlier attempts). */
  knownTestFiles: readonly string[];
}

export interface AttemptDiff {
  files: DiffFile[];
  /** Text after the attempt of the given paths (those that are text files). */
  contentAfter: Map<string, string>;
  /** Text before and after the attempt of the changed shared files that configure checks. */
  configTexts: Map<string, { before?: string; after?: string }>;
}

/**
 * The diff between `checkpoint` and the work tree of `dir`, with the text after the
 * attempt of `wantContent(files)`. External diff drivers and textconv filters are off:
 * the repository's configuration cannot change what the guard sees.
 */
export async function attemptDiff(
  dir: string,
  checkpoint: string,
  wantContent: (files: DiffFile[]) => string[] = () => [],
): Promise<AttemptDiff> {
  return withStagedScratch(dir, async (env) => {
    const out = await git(
      dir,
      [
        '-c',
        'core.quotePath=true',
        ...CACHED_DIFF,
        '--no-relative',
        '--find-renames',
        '--unified=0',
        '--src-prefix=a/',
        '--dst-prefix=b/',
        checkpoint,
        '--',
      ],
      { env },
    );
    const files = parseDiff(out.stdout);
    const contentAfter = new Map<string, string>();
    for (const path of wantContent(files)) {
      const blob = await git(dir, ['cat-file', 'blob', `:${path}`], { env, okCodes: [128] });
      if (blob.exitCode === 0) contentAfter.set(path, blob.stdout);
    }
    const configTexts = new Map<string, { before?: string; after?: string }>();
    for (const f of files) {
      if (f.binary) continue;
      const path = f.newPath ?? f.oldPath;
      if (!path || !isSharedCheckConfig(path)) continue;
      const read = async (spec: string) => {
        const blob = await git(dir, ['cat-file', 'blob', spec], { env, okCodes: [128] });
        return blob.exitCode === 0 ? blob.stdout : undefined;
      };
      const before = f.oldPath ? await read(`${checkpoint}:${f.oldPath}`) : undefined;
      const after = f.newPath ? await read(`:${f.newPath}`) : undefined;
      configTexts.set(path, {
        ...(before !== undefined ? { before } : {}),
        ...(after !== undefined ? { after } : {}),
      });
    }
    return { files, contentAfter, configTexts };
  });
}

/** Which of `paths` are files (blobs) in `commit`. */
export async function filesAt(dir: string, commit: string, paths: string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const out = await git(dir, [
    '--literal-pathspecs',
    'ls-tree',
    '-z',
    '--full-tree',
    commit,
    '--',
    ...paths,
  ]);
  const files = new Set<string>();
  for (const entry of out.stdout.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [, type] = entry.slice(0, tab).split(' ');
    if (type === 'blob') files.add(entry.slice(tab + 1));
  }
  return files;
}

/** The protection rules of an attempt, with the check-run files looked up at `checkpoint`. */
async function rulesFor(options: GuardOptions, testFiles: TestFiles): Promise<ProtectedRule[]> {
  const words = [...new Set(options.commands.flatMap((c) => commandPathWords(c.command)))];
  const existing = await filesAt(options.workDir, options.checkpoint, words);
  return protectedRules({
    commands: options.commands,
    isFile: (p) => existing.has(p),
    isTest: (p) => testFiles.has(p),
    configGlobs: options.configGlobs,
    specGlobs: options.specGlobs,
    specFile: options.specFile,
    otherSpecFiles: options.otherSpecFiles ?? [],
  });
}

/**
 * What the model is told it may not change, beyond the general rules: the files the
 * checks run and the configured globs, minus what the spec's `allow_edit:` opens.
 */
export async function protectedForPrompt(options: GuardOptions): Promise<string[]> {
  const testFiles = new TestFiles(options.knownTestFiles);
  const rules = await rulesFor(options, testFiles);
  const allowed = options.allowEdit.map(globMatcher);
  return rules
    .filter((r) => r.why.startsWith('run by') || r.why.includes('protect'))
    .filter((r) => !allowed.some((m) => m(r.pattern)))
    .map((r) => r.pattern);
}

const isCheckConfig = (() => {
  const matchers = CHECK_CONFIG_GLOBS.map(globMatcher);
  return (path: string) => matchers.some((m) => m(path));
})();

/** Directories of added check-config files that held no tracked file at `checkpoint`. */
async function newDirsOf(dir: string, checkpoint: string, files: DiffFile[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const f of files) {
    if (f.status !== 'added' || !f.newPath || !isCheckConfig(f.newPath)) continue;
    const d = dirOf(f.newPath);
    if (d === '' || out.has(d)) continue;
    const listed = await git(dir, [
      '--literal-pathspecs',
      'ls-tree',
      '--name-only',
      checkpoint,
      '--',
      `${d}/`,
    ]);
    if (listed.stdout.trim() === '') out.add(d);
  }
  return out;
}

/** The guard's violations for the attempt in `options.workDir` (empty: nothing to say). */
export async function guardAttempt(options: GuardOptions): Promise<GuardViolation[]> {
  const testFiles = new TestFiles(options.knownTestFiles);
  const diff = await attemptDiff(options.workDir, options.checkpoint, (files) =>
    emptiedCandidates(files, testFiles),
  );
  if (diff.files.length === 0) return [];
  const rules = await rulesFor(options, testFiles);
  return guardViolations({
    newDirs: await newDirsOf(options.workDir, options.checkpoint, diff.files),
    files: diff.files,
    testFiles,
    rules,
    allowEdit: options.allowEdit,
    contentAfter: diff.contentAfter,
    checkCommands: options.commands.map((c) => c.command),
    configTexts: diff.configTexts,
  });
}
