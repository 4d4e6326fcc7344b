/**
 * A small bash lexer for the command policy: splits a command line into the simple
 * commands it would run — through `&&`, `||`, `;`, `|`, `&`, newlines, subshells,
 * `{ }` groups, `$( )`, backticks and process substitution —
 * each as its list of words with quotes removed. Heredoc bodies and redirection
 * targets are skipped. It errs on the side of finding commands (it is a guard, not
 * an interpreter): text it cannot parse is still split into words.
 */
export type SimpleCommand = string[];

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
  'time',
  '}',
  'fi',
  'done',
  'esac',
]);
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh']);
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
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let skipNext = false; // redirection target
  const heredocs: string[] = [];

  const nested = (inner: string): void => {
    if (depth < MAX_DEPTH) out.push(...splitCommands(inner, depth + 1));
  };
  const endWord = (): void => {
    if (inWord) {
      if (skipNext) skipNext = false;
      else words.push(word);
    }
    word = '';
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    while (words.length && KEYWORDS_BEFORE.has(words[0] ?? '')) words.shift();
    if (words.length) out.push(words);
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
    } else if (c === "'") {
      const end = src.indexOf("'", i + 1);
      word += src.slice(i + 1, end === -1 ? src.length : end);
      inWord = true;
      i = end === -1 ? src.length : end;
    } else if (c === '"') {
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
        skipNext = true;
        i += src[i + 2] === '>' ? 2 : 1;
        continue;
      }
      endCommand();
      if (next === c || (c === '|' && next === '&')) i++;
    } else if (c === '\n') {
      endCommand();
      while (heredocs.length) {
        const delim = heredocs.shift() ?? '';
        let lineStart = i + 1;
        for (;;) {
          const lineEnd = src.indexOf('\n', lineStart);
          const line = src.slice(lineStart, lineEnd === -1 ? src.length : lineEnd);
          if (line.replace(/^\t+/, '') === delim || lineEnd === -1) {
            i = lineEnd === -1 ? src.length : lineEnd;
            break;
          }
          lineStart = lineEnd + 1;
        }
      }
    } else if (c === '<' || c === '>') {
      endWord();
      if (c === '<' && next === '<' && src[i + 2] !== '<') {
        i += src[i + 2] === '-' ? 2 : 1;
        const m = /^\s*(['"]?)([^\s'";|&<>()]+)\1/.exec(src.slice(i + 1));
        if (m) {
          heredocs.push(m[2] ?? '');
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
      skipNext = true;
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

/**
 * Command lines a simple command runs from its arguments: the script of
 * `bash -c '…'` (and sh, zsh, dash, ksh), the arguments of `eval`, and the command of
 * `find … -exec … ;`. Takes a normalized argv (program name without its directory).
 */
export function innerScripts(argv: readonly string[]): string[] {
  const [name = '', ...args] = argv;
  if (name === 'eval') return [args.join(' ')];
  if (SHELLS.has(name)) {
    const idx = args.findIndex((w) => /^-[a-z]*c[a-z]*$/.test(w));
    const script = idx >= 0 ? args[idx + 1] : undefined;
    return script === undefined ? [] : [script];
  }
  if (name === 'find') {
    const out: string[] = [];
    args.forEach((w, i) => {
      if (!['-exec', '-execdir', '-ok', '-okdir'].includes(w)) return;
      const rest = args.slice(i + 1);
      const end = rest.findIndex((x) => x === ';' || x === '+');
      out.push(rest.slice(0, end === -1 ? rest.length : end).join(' '));
    });
    return out;
  }
  return [];
}
