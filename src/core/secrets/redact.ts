import { collectSecretValues, isRedactableValue, type SecretValue } from './secret-values.js';

/**
 * The one redaction layer: every secret value mmm knows of (see secret-values.ts) is
 * replaced with `[redacted:NAME]` in whatever mmm writes or prints — events, state,
 * commit messages, patches, transcripts, the debug log, error messages — and in whatever
 * it sends to the model.
 *
 * Besides the raw value, the base64 forms are matched: a secret inside a base64 blob
 * (`base64 /proc/$PPID/environ`) is encoded one of three ways depending on its offset, and
 * each way has a core that depends only on the secret's bytes; a core broken over lines
 * (wrapped output) is found too. So is its hex (`xxd -p`, either case). And any piece of
 * a secret at least MIN_FRAGMENT characters long is redacted on its own: a key printed in
 * halves over two commands never shows either half. Shorter pieces, and other
 * transformations (reversed, other encodings), are not recognised.
 */

interface Pattern {
  text: string;
  replacement: string;
  /** For base64 forms: the same text with a line break allowed between any two characters. */
  wrapped?: RegExp;
}

/** A line of base64 long enough to be wrapped output (`base64` wraps at 76 columns). */
const WRAPPED_BASE64 = /[A-Za-z0-9+/_-]{40,}\r?\n[A-Za-z0-9+/_=-]/;

function wrappedPattern(core: string): RegExp {
  const chars = [...core].map((c) => c.replace(/[+/-]/g, (m) => `\\${m}`));
  return new RegExp(chars.join('(?:\\r?\\n)?'), 'g');
}

/** Base64 cores shorter than this are not matched (too likely to occur by chance). */
const MIN_BASE64_CORE = 16;

/**
 * Pieces of a secret this long are redacted wherever they appear. Pieces are cut from
 * runs of word characters only, so a value's short path components or words
 * (`/run/user/1000/bus`) never become pieces, and a key's fixed prefix (`sk-ant-api03-`,
 * 13 characters) is too short to be one.
 */
export const MIN_FRAGMENT = 16;
const TOKEN_RUN = /[A-Za-z0-9_-]{16,}/g;
const NON_TOKEN = /[^A-Za-z0-9_-]+/;

/** Every MIN_FRAGMENT-long piece of `value` within a run of word characters. */
function fragmentsOf(value: string): string[] {
  const out: string[] = [];
  for (const part of value.split(NON_TOKEN)) {
    for (let i = 0; i + MIN_FRAGMENT <= part.length; i++) out.push(part.slice(i, i + MIN_FRAGMENT));
  }
  return out;
}

export function placeholder(name: string): string {
  return `[redacted:${name}]`;
}

/** The base64 (and base64url) encodings of `value` at each offset mod 3: the secret-only part. */
export function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const cores = new Set<string>();
  for (const skip of [0, 2, 1]) {
    const usable = Math.floor((bytes.length - skip) / 3) * 3;
    if (usable <= 0) continue;
    const core = bytes.subarray(skip, skip + usable).toString('base64');
    if (core.length < MIN_BASE64_CORE) continue;
    cores.add(core);
    cores.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...cores];
}

export class Redactor {
  private patterns: Pattern[] = [];
  private readonly values = new Map<string, string>();
  /** Each MIN_FRAGMENT-long piece of a secret, and its placeholder. */
  private readonly fragments = new Map<string, string>();

  constructor(secrets: readonly SecretValue[] = []) {
    for (const s of secrets) this.add(s.name, s.value);
  }

  /** Adds a value (ignored when too short or common, or already known). */
  add(name: string, value: string | null | undefined): void {
    if (typeof value !== 'string' || !isRedactableValue(value) || this.values.has(value)) return;
    this.values.set(value, name);
    const replacement = placeholder(name);
    const next: Pattern[] = [{ text: value, replacement }];
    for (const core of base64Cores(value)) {
      next.push({ text: core, replacement, wrapped: wrappedPattern(core) });
    }
    const hex = Buffer.from(value, 'utf8').toString('hex');
    for (const form of [hex, hex.toUpperCase()]) {
      next.push({ text: form, replacement, wrapped: wrappedPattern(form) });
    }
    for (const piece of fragmentsOf(value)) {
      if (!this.fragments.has(piece)) this.fragments.set(piece, replacement);
    }
    // Longest first: a secret that contains another is replaced whole.
    this.patterns = [...this.patterns, ...next]
      .filter((p, i, all) => all.findIndex((q) => q.text === p.text) === i)
      .sort((a, b) => b.text.length - a.text.length);
  }

  /** True when there is nothing to redact (no secret in the environment). */
  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /** `text` with every secret value replaced by `[redacted:NAME]`. */
  redact(text: string): string {
    let out = text;
    for (const p of this.patterns) {
      if (out.includes(p.text)) out = out.split(p.text).join(p.replacement);
    }
    // Base64 output wrapped into lines (`base64 /proc/$PPID/environ`): a secret's form may
    // straddle a line break. Only texts that look like wrapped base64 pay for the search.
    if (WRAPPED_BASE64.test(out)) {
      for (const p of this.patterns) {
        if (p.wrapped) out = out.replace(p.wrapped, p.replacement);
      }
    }
    if (this.fragments.size > 0) out = out.replace(TOKEN_RUN, (run) => this.redactRun(run));
    return out;
  }

  /** `run` (word characters only) with every stretch made of secret pieces replaced. */
  private redactRun(run: string): string {
    const cover: (string | undefined)[] = new Array<string | undefined>(run.length);
    let hit = false;
    for (let i = 0; i + MIN_FRAGMENT <= run.length; i++) {
      const replacement = this.fragments.get(run.slice(i, i + MIN_FRAGMENT));
      if (replacement === undefined) continue;
      hit = true;
      for (let j = i; j < i + MIN_FRAGMENT; j++) cover[j] ??= replacement;
    }
    if (!hit) return run;
    let out = '';
    for (let i = 0; i < run.length; i++) {
      const replacement = cover[i];
      if (replacement === undefined) out += run[i];
      else if (cover[i - 1] !== replacement) out += replacement;
    }
    return out;
  }

  /** The names of the secrets found in `text` (empty when none). */
  find(text: string): string[] {
    const names = new Set<string>();
    const wrapped = WRAPPED_BASE64.test(text);
    for (const p of this.patterns) {
      if (text.includes(p.text) || (wrapped && p.wrapped && text.search(p.wrapped) >= 0)) {
        names.add(p.replacement.slice('[redacted:'.length, -1));
      }
    }
    if (this.fragments.size > 0) {
      for (const run of text.match(TOKEN_RUN) ?? []) {
        for (let i = 0; i + MIN_FRAGMENT <= run.length; i++) {
          const replacement = this.fragments.get(run.slice(i, i + MIN_FRAGMENT));
          if (replacement) names.add(replacement.slice('[redacted:'.length, -1));
        }
      }
    }
    return [...names];
  }

  /** A copy of a JSON-like value with every string (and object key) redacted. */
  redactDeep<T>(value: T): T {
    if (this.empty) return value;
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (value && typeof value === 'object' && isPlain(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[this.redact(k)] = this.walk(v);
      return out;
    }
    return value;
  }

  /** JSON.stringify with every string value redacted. */
  stringify(value: unknown, space?: number): string {
    if (this.empty) return JSON.stringify(value, null, space);
    return JSON.stringify(
      value,
      (_key, v: unknown) => (typeof v === 'string' ? this.redact(v) : v),
      space,
    );
  }

  /**
   * How many characters at the end of `text` could be the start of a secret: a stream
   * (text deltas) holds them back until the next chunk shows whether the secret follows.
   */
  holdLength(text: string): number {
    let hold = this.fragmentHold(text);
    for (const p of this.patterns) {
      const max = Math.min(p.text.length - 1, text.length);
      for (let k = max; k > hold; k--) {
        if (text.endsWith(p.text.slice(0, k))) {
          hold = k;
          break;
        }
      }
    }
    return hold;
  }

  /** The trailing word characters of `text` when they could begin a secret's piece. */
  private fragmentHold(text: string): number {
    if (this.fragments.size === 0) return 0;
    const tail = /[A-Za-z0-9_-]{1,15}$/.exec(text)?.[0];
    if (!tail) return 0;
    for (let k = tail.length; k > 0; k--) {
      const end = tail.slice(tail.length - k);
      for (const piece of this.fragments.keys()) if (piece.startsWith(end)) return k;
    }
    return 0;
  }
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

let global: Redactor | undefined;

/**
 * The process's redactor: the secret values of the environment mmm started with, plus
 * whatever was registered (the credentials the LLM client was given).
 */
export function secretRedactor(): Redactor {
  global ??= new Redactor(collectSecretValues(process.env));
  return global;
}

/** Makes `value` a secret for the rest of the process (e.g. the API key in use). */
export function registerSecret(name: string, value: string | null | undefined): void {
  secretRedactor().add(name, value);
}

/** `text` with every known secret value replaced by `[redacted:NAME]`. */
export function redact(text: string): string {
  return secretRedactor().redact(text);
}

/** A copy of a JSON-like value with every string redacted. */
export function redactDeep<T>(value: T): T {
  return secretRedactor().redactDeep(value);
}

/** JSON.stringify with every string value redacted. */
export function stringifyRedacted(value: unknown, space?: number): string {
  return secretRedactor().stringify(value, space);
}
