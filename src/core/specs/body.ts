import type { Criterion } from './model.js';
import { splitLines, stripEol } from './text.js';

/** What the markdown body of a spec says, with file line numbers. */
export interface ParsedBody {
  /** The first `# ` heading. */
  title?: { text: string; line: number };
  /** `##` heading text → content (leading blank lines and trailing space removed, LF). */
  sections: Record<string, string>;
  /**
   * `- [ ]` / `- [x]` items under the "Acceptance Criteria" heading (any case); in a body
   * without that heading (a checklist, a tasks file), every box outside code blocks.
   */
  criteria: Criterion[];
}

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** A box: `- [ ] text`, `* [x] text`, `1. [ ] text`, nested or not; `- [ ]* text` (Kiro's optional). */
const CRITERION = /^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[([ xX])\]\*?[ \t]+(\S.*?)[ \t]*$/;
/** The part of a box line before `[ ]`, for write-back. */
export const OPEN_BOX = /^([ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)\[ \]/;
const CRITERIA_HEADING = /^acceptance[ \t]+criteria[ \t]*:?$/i;

export function isCriteriaHeading(text: string): boolean {
  return CRITERIA_HEADING.test(text.trim());
}

/**
 * Parse a body whose first line is line `firstLine` of the file. `allBoxes`: every box is
 * a criterion, whatever its heading (a tasks file).
 */
export function parseBody(body: string, firstLine: number, allBoxes = false): ParsedBody {
  const lines = splitLines(body);
  const result: ParsedBody = { sections: {}, criteria: [] };
  const boxes: Criterion[] = [];
  let sawCriteriaHeading = false;
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
      first !== '+' &&
      !(first !== undefined && first >= '0' && first <= '9')
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
        sawCriteriaHeading = true;
      }
      if (level <= 2) {
        closeSection();
        if (level === 2) section = { name: text, lines: [] };
        return;
      }
    }
    section?.lines.push(line);
    if (fence === undefined) {
      const item = CRITERION.exec(line);
      if (item) {
        const criterion = { text: item[2] ?? '', done: item[1] !== ' ', line: fileLine };
        if (criteriaLevel !== undefined) result.criteria.push(criterion);
        boxes.push(criterion);
      }
    }
  });
  closeSection();
  if (allBoxes || (!sawCriteriaHeading && result.criteria.length === 0)) result.criteria = boxes;
  return result;
}
