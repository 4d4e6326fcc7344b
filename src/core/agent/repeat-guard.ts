/** Identical call + identical result this many times in a row ends the attempt. */
export const TOOL_LOOP_REPEATS = 3;

/**
 * Watches the tool calls of one attempt, across turns, for a model stuck in a loop: the
 * same call (name and input) returning the same result (content and error flag) again
 * and again. Another call, or the same call with another result, starts the count anew.
 */
export class RepeatGuard {
  private last = '';
  private repeats = 0;

  /**
   * Records one call and its result. Returns why the attempt must end (as `tool_loop`)
   * once the same call has returned the same result TOOL_LOOP_REPEATS times in a row;
   * otherwise undefined.
   */
  record(
    call: { name: string; input: unknown; summary: string },
    result: { content: unknown; isError: boolean },
  ): string | undefined {
    const key = JSON.stringify([call.name, call.input, result.content, result.isError]);
    this.repeats = key === this.last ? this.repeats + 1 : 1;
    this.last = key;
    if (this.repeats < TOOL_LOOP_REPEATS) return undefined;
    return `the same call (${call.summary}) returned the same result ${this.repeats} times in a row`;
  }
}
