/** Types for tests that build a long history with bench/make-history-repo.mjs. */
export function makeHistoryRepo(root: string, files?: number, commits?: number): Promise<void>;
