/** Git for mmm: repository facts, run worktrees, commits with trailers, rollback. */
export { GitError } from './exec.js';
export type { RepoInfo } from './repo.js';
export {
  openRepo,
  headCommit,
  hasChanges,
  diffPatch,
  dirtyPaths,
  excludeMmmFiles,
} from './repo.js';
export type { WorktreeEntry } from './worktree.js';
export {
  createRunWorktree,
  attachWorktree,
  removeWorktree,
  listWorktrees,
  branchExists,
  isAncestor,
} from './worktree.js';
export type { CommitInfo } from './commit.js';
export {
  commitAll,
  commitAllAs,
  resetTo,
  fastForward,
  commitsSince,
  withTrailers,
  parseTrailers,
} from './commit.js';
