import { ProviderError } from '../errors.js';

/**
 * A request the server refused because its prompt does not fit the model's context
 * window ("prompt is too long: 202489 tokens > 200000 maximum"). Not an attempt failure
 * by itself: the agent learns the window from it, compacts and sends again.
 */
export class ContextOverflowError extends ProviderError {
  constructor(
    message: string,
    /** The server's maximum, when its message names one. */
    readonly maximum: number | undefined,
    /** The prompt's size in the server's tokens, when its message names it. */
    readonly tokens: number | undefined,
    options: { cause?: unknown } = {},
  ) {
    super(message, {
      hint: "set context.window in .mmm/config.toml to the server's window (in tokens)",
      ...options,
    });
    this.name = 'ContextOverflowError';
  }
}

const OVERFLOW =
  /prompt is too long|context[_ ](?:length|window)|too many (?:input )?tokens|(?:exceeds?|greater than|more than|over) (?:the )?(?:model'?s? )?(?:maximum|max|limit)|input (?:is )?too long/i;

const NUMBER = '(\\d[\\d,_]*)';
const TOKENS_OVER_MAX = new RegExp(`${NUMBER}\\s*tokens?\\s*>\\s*${NUMBER}`, 'i');
const MAXIMUM_IS = new RegExp(
  `(?:maximum|max|limit)[^\\d]{0,40}?${NUMBER}\\s*tokens|${NUMBER}\\s*tokens?\\s*(?:maximum|max|limit)`,
  'i',
);
const REQUESTED = new RegExp(
  `(?:requested|prompt (?:has|is|contains)|resulted in)\\D{0,20}${NUMBER}\\s*tokens`,
  'i',
);

const toNumber = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text.replace(/[,_]/g, ''));
  return Number.isFinite(value) && value > 0 ? value : undefined;
};

/**
 * Reads a "does not fit the context window" refusal (HTTP 400/413): Anthropic's
 * `prompt is too long: N tokens > M maximum`, and the wordings other compatible servers
 * use (`maximum context length is M tokens … requested N tokens`). Undefined when the
 * message is about something else.
 */
export function parseContextOverflow(
  status: number | undefined,
  message: string,
): { maximum?: number; tokens?: number } | undefined {
  if (status !== 400 && status !== 413) return undefined;
  if (!OVERFLOW.test(message)) return undefined;
  const pair = TOKENS_OVER_MAX.exec(message);
  if (pair) {
    const tokens = toNumber(pair[1]);
    const maximum = toNumber(pair[2]);
    return { ...(tokens ? { tokens } : {}), ...(maximum ? { maximum } : {}) };
  }
  const max = MAXIMUM_IS.exec(message);
  const maximum = toNumber(max?.[1] ?? max?.[2]);
  const tokens = toNumber(REQUESTED.exec(message)?.[1]);
  return { ...(tokens ? { tokens } : {}), ...(maximum ? { maximum } : {}) };
}
