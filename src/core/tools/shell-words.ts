/**
 * A small bash lexer for the command policy: splits a command line into the simple
 * commands it would run — through `&&`, `||`, `;`, `|`, `&`, newlines, subshells,
 * `{ }` groups, `$( )`, backticks and process substitution —
 * each as its list of words with quotes removed. Heredoc bodies and redirection
 * targets are skipped. It errs on the side of finding commands (it is a guard, not
 * an interpreter): text it cannot parse is still split into words.
 */
export type SimpleCommand = string[];

/**
 * What the lexer saw around a simple command besides its words: the text it reads on
 * stdin from heredocs and here-strings, and its redirection targets (`> file`).
 */
export interface CommandExtras {
  stdin: string[];
  redirects: string[];
}

const extras = new WeakMap<SimpleCommand, CommandExtras>();

/** Heredoc/here-string input and redirection targets of a command from splitCommands. */
export function commandExtras(command: SimpleCommand): CommandExtras {
  return extras.get(command) ?? { stdin: [], redirects: [] };
}

function extrasOf(command: SimpleCommand): CommandExtras {
  let e = extras.get(command);
  if (!e) {
    e = { stdin: [], redirects: [] };
    extras.set(command, e);
  }
  return e;
}

const ANSI_C: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** Decodes the body of a `$'…'` word (bash ANSI-C quoting); returns [text, index of the closing quote]. */
function ansiC(src: string, start: number): [string, number] {
  let out = '';
  let i = start;
  for (; i < src.length && src[i] !== "'"; i++) {
    if (src[i] !== '\\') {
      out += src[i];
      continue;
    }
    const c = src[++i] ?? '';
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(src.slice(i));
    const uni = /^[uU]([0-9a-fA-F]{1,8})/.exec(src.slice(i));
    const oct = /^[0-7]{1,3}/.exec(src.slice(i));
    if (hex) {
      out += String.fromCharCode(parseInt(hex[1] ?? '0', 16));
      i += hex[0].length - 1;
    } else if (uni) {
      out += String.fromCodePoint(Math.min(parseInt(uni[1] ?? '0', 16), 0x10ffff));
      i += uni[0].length - 1;
    } else if (oct) {
      out += String.fromCharCode(parseInt(oct[0], 8));
      i += oct[0].length - 1;
    } else if (c === 'c') {
      const ctl = src[++i] ?? '';
      out += String.fromCharCode(ctl.toUpperCase().charCodeAt(0) & 31);
    } else out += ANSI_C[c] ?? `\\${c}`;
  }
  return [out, i];
}

const KEYWORDS_BEFORE = new Set([
  'if',
  'then',
  'else',
  'elif',
  'do',
  'while',
  'until',
  '!',
  '{',
  '}',
  'fi',
  'done',
  'esac',
]);
const MAX_DEPTH = 8;

/** Index just past the `)` closing a `(` opened right before `start`. */
function closingParen(src: string, start: number): number {
  let depth = 1;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === "'") {
      const end = src.indexOf("'", i + 1);
      i = end === -1 ? src.length : end;
    } else if (c === '"') {
      for (i++; i < src.length && src[i] !== '"'; i++) if (src[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return src.length;
}

function closingBacktick(src: string, start: number): number {
  for (let i = start; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === '`') return i + 1;
  }
  return src.length;
}

export function splitCommands(src: string, depth = 0): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  let words: SimpleCommand = [];
  let word = '';
  let inWord = false;
  // What the next word is: a redirection target, a here-string, or an ordinary word.
  let target: 'redirect' | 'herestring' | undefined;
  const heredocs: { delim: string; command: SimpleCommand }[] = [];

  const nested = (inner: string): void => {
    if (depth < MAX_DEPTH) out.push(...splitCommands(inner, depth + 1));
  };
  const endWord = (): void => {
    if (inWord) {
      if (target === 'redirect') extrasOf(words).redirects.push(word);
      else if (target === 'herestring') extrasOf(words).stdin.push(word);
      else words.push(word);
      target = undefined;
    }
    word = '';
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    while (words.length && KEYWORDS_BEFORE.has(words[0] ?? '')) words.shift();
    // `> .git` alone has no words but still writes: keep it for its redirection.
    if (words.length || extras.has(words)) out.push(words);
    words = [];
  };

  for (let i = 0; i < src.length; i++) {
    const c = src[i] ?? '';
    const next = src[i + 1] ?? '';
    if (c === '\\') {
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
      i++;
    } else if (c === '$' && next === "'") {
      const [text, end] = ansiC(src, i + 2);
      word += text;
      inWord = true;
      i = end;
    } else if (c === "'") {
      const end = src.indexOf("'", i + 1);
      word += src.slice(i + 1, end === -1 ? src.length : end);
      inWord = true;
      i = end === -1 ? src.length : end;
    } else if (c === '"' || (c === '$' && next === '"')) {
      if (c === '$') i++;
      inWord = true;
      for (i++; i < src.length && src[i] !== '"'; i++) {
        if (src[i] === '\\' && '"\\$`'.includes(src[i + 1] ?? '')) word += src[++i];
        else if (src[i] === '$' && src[i + 1] === '(' && src[i + 2] !== '(') {
          const end = closingParen(src, i + 2);
          nested(src.slice(i + 2, end - 1));
          i = end - 1;
        } else if (src[i] === '`') {
          const end = closingBacktick(src, i + 1);
          nested(src.slice(i + 1, end - 1));
          i = end - 1;
        } else word += src[i];
      }
    } else if ((c === '$' || c === '<' || c === '>') && next === '(' && src[i + 2] !== '(') {
      const end = closingParen(src, i + 2);
      nested(src.slice(i + 2, end - 1));
      inWord = true;
      i = end - 1;
    } else if (c === '`') {
      const end = closingBacktick(src, i + 1);
      nested(src.slice(i + 1, end - 1));
      inWord = true;
      i = end - 1;
    } else if (c === '(' || c === ')') {
      if (c === '(' && next === '(') {
        // Arithmetic (( … )): not a command.
        const end = src.indexOf('))', i + 2);
        i = end === -1 ? src.length : end + 1;
        continue;
      }
      endCommand();
    } else if (c === ';' || c === '|' || c === '&') {
      if (c === '&' && next === '>') {
        endWord();
        target = 'redirect';
        i += src[i + 2] === '>' ? 2 : 1;
        continue;
      }
      endCommand();
      if (next === c || (c === '|' && next === '&')) i++;
    } else if (c === '\n') {
      endCommand();
      while (heredocs.length) {
        const { delim, command } = heredocs.shift() ?? { delim: '', command: [] };
        let lineStart = i + 1;
        const body: string[] = [];
        for (;;) {
          const lineEnd = src.indexOf('\n', lineStart);
          const line = src.slice(lineStart, lineEnd === -1 ? src.length : lineEnd);
          if (line.replace(/^\t+/, '') === delim || lineEnd === -1) {
            if (line.replace(/^\t+/, '') !== delim) body.push(line);
            i = lineEnd === -1 ? src.length : lineEnd;
            break;
          }
          body.push(line);
          lineStart = lineEnd + 1;
        }
        extrasOf(command).stdin.push(body.join('\n'));
      }
    } else if (c === '<' || c === '>') {
      endWord();
      if (c === '<' && next === '<' && src[i + 2] === '<') {
        i += 2;
        target = 'herestring';
        continue;
      }
      if (c === '<' && next === '<') {
        i += src[i + 2] === '-' ? 2 : 1;
        const m = /^\s*(['"]?)([^\s'";|&<>()]+)\1/.exec(src.slice(i + 1));
        if (m) {
          heredocs.push({ delim: m[2] ?? '', command: words });
          extrasOf(words);
          i += m[0].length;
        }
        continue;
      }
      while (src[i + 1] === '<' || src[i + 1] === '>' || src[i + 1] === '&' || src[i + 1] === '|')
        i++;
      if (/^\d+|^-/.test(src.slice(i + 1)) && src[i] === '&') {
        const m = /^(\d+|-)/.exec(src.slice(i + 1));
        i += m?.[0].length ?? 0;
        continue;
      }
      target = 'redirect';
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === '#' && !inWord) {
      const end = src.indexOf('\n', i);
      i = end === -1 ? src.length : end - 1;
    } else {
      // A file-descriptor number right before a redirection belongs to it.
      if (/\d/.test(c) && !inWord && (next === '>' || next === '<')) continue;
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return out;
}
