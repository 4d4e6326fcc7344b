/** Token counts of one request or a sum of requests, as the Messages API reports them. */
export interface Usage {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

export function emptyUsage(): Usage {
  return { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheWrite: a.cacheWrite + b.cacheWrite,
    cacheRead: a.cacheRead + b.cacheRead,
  };
}

export function totalTokens(u: Usage): number {
  return u.input + u.output + u.cacheWrite + u.cacheRead;
}

/** A cost in USD, or null when the model's price is unknown (never shown as zero). */
export type Cost = number | null;

export function addCost(a: Cost, b: Cost): Cost {
  return a === null || b === null ? null : a + b;
}
