/**
 * The fake server's model of a context window and a prompt cache, cheap enough for tests
 * of long attempts: a token is 4 characters of a block's JSON (cache_control markers left
 * out), a request longer than the window is refused the way the Messages API refuses it
 * (`400 prompt is too long: N tokens > M maximum`), and usage is reported as the API
 * would with prompt caching: the longest prefix (at a block boundary) that an earlier
 * request wrote at one of its breakpoints is read from the cache, the rest up to this
 * request's last breakpoint is written, what follows is plain input.
 */
import { createHash, type Hash } from 'node:crypto';
import type { MessagesBody } from './fake-anthropic.js';
import type { ScriptedUsage } from './fake-anthropic-replies.js';

export interface FakeContextOptions {
  /** Refuse prompts above this many tokens (chars / 4). */
  window?: number;
  /** Report input, cache-read and cache-write tokens from the request (default true). */
  usage?: boolean;
}

type Block = Record<string, unknown>;

/** The prompt's blocks in the order the API caches them: tools, system, messages. */
function blocksOf(body: MessagesBody): Block[] {
  const blocks: Block[] = [];
  for (const tool of body.tools ?? []) blocks.push(tool as Block);
  if (typeof body.system === 'string') blocks.push({ type: 'text', text: body.system });
  else for (const block of body.system ?? []) blocks.push(block as Block);
  for (const message of body.messages) {
    if (typeof message.content === 'string') {
      blocks.push({ role: message.role, type: 'text', text: message.content });
    } else {
      message.content.forEach((block, index) =>
        blocks.push(index === 0 ? { role: message.role, ...block } : block),
      );
    }
  }
  return blocks;
}

function withoutMarker(block: Block): string {
  if (!('cache_control' in block)) return JSON.stringify(block);
  const { cache_control: _marker, ...rest } = block;
  return JSON.stringify(rest);
}

export const tokensOf = (chars: number): number => Math.ceil(chars / 4);

export interface ContextVerdict {
  /** Set when the prompt does not fit: the error message to answer with (HTTP 400). */
  tooLong?: string;
  promptTokens: number;
  usage: ScriptedUsage;
}

/** One fake server's cache: prefix hashes written at breakpoints. */
export class FakeContext {
  private readonly cached = new Set<string>();
  /** Prompt sizes (tokens) of the requests that were answered, in order. */
  readonly promptSizes: number[] = [];
  readonly rejected: number[] = [];
  constructor(private readonly options: FakeContextOptions) {}

  judge(body: MessagesBody): ContextVerdict {
    const blocks = blocksOf(body);
    const hash: Hash = createHash('sha1');
    let chars = 0;
    let readChars = 0;
    let writtenChars = 0;
    const prefixes: string[] = [];
    for (const block of blocks) {
      const text = withoutMarker(block);
      hash.update(text);
      chars += text.length;
      const digest = hash.copy().digest('hex');
      if (this.cached.has(digest)) readChars = chars;
      if ('cache_control' in block) {
        prefixes.push(digest);
        writtenChars = chars;
      }
    }
    const promptTokens = tokensOf(chars);
    const window = this.options.window;
    if (window !== undefined && promptTokens > window) {
      this.rejected.push(promptTokens);
      return {
        tooLong: `prompt is too long: ${promptTokens} tokens > ${window} maximum`,
        promptTokens,
        usage: {},
      };
    }
    this.promptSizes.push(promptTokens);
    for (const digest of prefixes) this.cached.add(digest);
    if (this.options.usage === false) return { promptTokens, usage: {} };
    const read = tokensOf(readChars);
    const write = Math.max(0, tokensOf(writtenChars) - read);
    return {
      promptTokens,
      usage: {
        input_tokens: Math.max(0, promptTokens - read - write),
        cache_read_input_tokens: read,
        cache_creation_input_tokens: write,
      },
    };
  }
}
