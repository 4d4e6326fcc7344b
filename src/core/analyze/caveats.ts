import { lineOf } from './evidence.js';
import type { CommandName, CommandSource, DetectorContext } from './types.js';

/**
 * What the project's own contributor docs say against a detected command: "`cargo fmt`
 * does not work here", "do not run make fmt". Such a command becomes a guess (init writes
 * it commented out) with the sentence as evidence.
 */
const DOCS = [
  'CONTRIBUTING.md',
  'CONTRIBUTING.rst',
  'CONTRIBUTING',
  '.github/CONTRIBUTING.md',
  'docs/CONTRIBUTING.md',
  'HACKING.md',
];

const NEGATION =
  /\b(does ?n[o']t work|do not work|don'?t work|not work|doesn'?t support|do not (use|run)|don'?t (use|run)|never (use|run)|should ?n[o']t be (used|run)|is broken|are broken|not supported|unsupported|won'?t work|will not work)\b/i;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The first two words of a command (`cargo fmt`, `make fmt`, `npm run lint`→`npm run`). */
function head(command: string): string | null {
  const words = command.trim().split(/\s+/);
  if (words.length < 2) return null;
  // `npm run x`, `poetry run x`: the script name is the telling part.
  if (words[1] === 'run' && words[2]) return words.slice(0, 3).join(' ');
  return words.slice(0, 2).join(' ');
}

export async function applyCaveats(
  ctx: DetectorContext,
  sources: Record<CommandName, CommandSource | null>,
): Promise<void> {
  const docs: { file: string; text: string }[] = [];
  for (const file of DOCS) {
    const text = await ctx.readText(file);
    if (text) docs.push({ file, text });
  }
  if (docs.length === 0) return;
  for (const src of Object.values(sources)) {
    if (!src) continue;
    // Each part of a chained command on its own: `mix test && npm test`.
    for (const part of src.command.split(/\s*&&\s*/)) {
      const h = head(part.replace(/^\(?cd \S+ && /, ''));
      if (!h) continue;
      const mention = new RegExp(`[^\\n]*\\b${escape(h)}\\b[^\\n]*`, 'g');
      for (const { file, text } of docs) {
        for (const m of text.matchAll(mention)) {
          // The sentence around the mention (a line, or the paragraph's sentence).
          const sentence = m[0];
          if (!NEGATION.test(sentence)) continue;
          const line = lineOf(text, new RegExp(escape(sentence)));
          src.sure = false;
          src.confidence = 'guess';
          src.evidence.push(line === undefined ? { file } : { file, line });
          (src.notes ??= []).push(
            `${file}${line ? `:${line}` : ''} warns against \`${h}\`: "${sentence.trim().slice(0, 160)}"`,
          );
          break;
        }
      }
    }
  }
}
