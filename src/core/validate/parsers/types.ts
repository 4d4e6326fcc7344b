/**
 * What a result parser extracts from a tool's output. Every field is optional: a parser
 * fills what its format reports (test runners: passed/failed and the failing names;
 * linters and type checkers: errors/warnings).
 */
export interface ParsedOutput {
  /** The format recognized, e.g. "vitest", "eslint", "generic". */
  tool: string;
  passed?: number;
  failed?: number;
  errors?: number;
  warnings?: number;
  /** Failing test names, bounded (see MAX_FAILED_TESTS), in the order reported. */
  failedTests: string[];
  /** Where the failures are described (offset into the output), when the parser found it. */
  failureStart?: number;
}

/** One output format. `parse` returns null when the output is not in its format. */
export interface OutputParser {
  name: string;
  parse(output: string): ParsedOutput | null;
}
