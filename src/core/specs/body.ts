import type { Criterion } from './model.js';
import { splitLines, stripEol } from './text.js';

/** What the markdown body of a spec says, with file line numbers. */
export interface ParsedBody {
  /** The first `# ` heading. */
  title?: { text: string; line: number };
  /** `##` heading text → content (leading blank lines and trailing space removed, LF). */
  sections: Record<string, string>;
  /** `- [ ]` / `- [x]` items under the "Acceptance Criteria" heading (any case). */
  criteria: Criterion[];
}

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const CRITERION = /^[ \t]*[-*+][ \t]+\[([ xX])\][ \t]+(\S.*?)[ \t]*$/;
const CRITERIA_HEADING = /^acceptance[ \t]+criteria[ \t]*:?$/i;

export function isCriteriaHeading(text: string): boolean {
  return CRITERIA_HEADING.test(text.trim());
}

/** Parse a body whose first line is line `firstLine` of the file. */
export function parseBody(body: string, firstLine: number): ParsedBody {
  const lines = splitLines(body);
  const result: ParsedBody = { sections: {}, criteria: [] };
  let fence: string | undefined;
  let section: { name: string; lines: string[] } | undefined;
  let criteriaLevel: number | undefined;

  const closeSection = (): void => {
    if (!section) return;
    const content = section.lines
      .join('\n')
      .replace(/^(?:[ \t]*\n)+/, '')
      .trimEnd();
    const previous = result.sections[section.name];
    result.sections[section.name] = previous === undefined ? content : `${previous}\n\n${content}`;
    section = undefined;
  };

  lines.forEach((raw, index) => {
    const line = stripEol(raw);
    // Most lines are prose: skip the regular expressions unless the line can matter.
    const first = line.trimStart()[0];
    if (
      first !== '#' &&
      first !== '`' &&
      first !== '~' &&
      first !== '-' &&
      first !== '*' &&
      first !== '+'
    ) {
      section?.lines.push(line);
      return;
    }
    const fileLine = firstLine + index;
    const fenceMatch = FENCE.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1] ?? '';
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      section?.lines.push(line);
      return;
    }
    const heading = fence === undefined ? HEADING.exec(line) : null;
    if (heading) {
      const level = (heading[1] ?? '').length;
      const text = (heading[2] ?? '').trim();
      if (level === 1 && !result.title && text) result.title = { text, line: fileLine };
      if (criteriaLevel !== undefined && level <= criteriaLevel) criteriaLevel = undefined;
      if ((level === 2 || level === 3) && isCriteriaHeading(text) && criteriaLevel === undefined) {
        criteriaLevel = level;
      }
      if (level <= 2) {
        closeSection();
        if (level === 2) section = { name: text, lines: [] };
        return;
      }
    }
    section?.lines.push(line);
    if (criteriaLevel !== undefined && fence === undefined) {
      const item = CRITERION.exec(line);
      if (item) {
        result.criteria.push({
          text: item[2] ?? '',
          done: item[1] !== ' ',
          line: fileLine,
        });
      }
    }
  });
  closeSection();
  return result;
}
