/**
 * What a task's recipe does to files: a `format` target must rewrite them, a `lint` or
 * `typecheck` target must not. Read line by line: a formatter with its check flag
 * (`gofmt -l`, `black --check`, `cargo fmt --check`) only checks; without it, it edits.
 */
export type RecipeEffect = 'edits' | 'checks' | 'unknown';

/** [tool pattern, check-only flag pattern]: the tool edits files unless the flag is given. */
const FORMATTERS: [RegExp, RegExp][] = [
  [/\bgofmt\b/, /\s-(l|d)\b|^(?!.*\s-w\b)/],
  [/\bgoimports\b/, /\s-(l|d)\b|^(?!.*\s-w\b)/],
  [/\bgo fmt\b/, /(?!)/],
  [/\bblack\b/, /--check|--diff/],
  [/\bisort\b/, /--check|--diff|-c\b/],
  [/\bruff format\b/, /--check|--diff/],
  [/\bruff (check\s.*)?--fix\b|\bruff check\b.*--fix\b/, /--no-fix|--diff/],
  [/\bprettier\b/, /^(?!.*(--write|\s-w\b))/],
  [/\beslint\b.*--fix\b/, /--fix-dry-run/],
  [/\bcargo (\+\S+ )?fmt\b/, /--check|-- --check/],
  [/\bmix format\b/, /--check-formatted|--dry-run/],
  [/\bdotnet format\b/, /--verify-no-changes/],
  [/\brubocop\b.*(\s-a\b|\s-A\b|--autocorrect|--auto-correct|--fix-layout)/, /(?!)/],
  [/\bstandardrb\b.*--fix\b/, /(?!)/],
  [/\bclang-format\b/, /^(?!.*\s-i\b)/],
  [/\bswiftformat\b/, /--lint/],
  [/\bbiome (format|check|lint)\b/, /^(?!.*(--write|--apply|--fix))/],
  [/\bphp-cs-fixer\b.*\bfix\b/, /--dry-run/],
  [/\bpint\b/, /--test/],
  [/\bdeno fmt\b/, /--check/],
  [/\bshfmt\b/, /^(?!.*\s-w\b)/],
  [/\bterraform fmt\b/, /-check/],
  [/\bktlint\b.*(-F|--format)\b/, /(?!)/],
  [/\bspotlessApply\b/, /(?!)/],
  [/\bgolangci-lint\b.*--fix\b/, /(?!)/],
  [/\bspotlessCheck\b/, /.*/],
  [/\bzig fmt\b/, /--check/],
  [/\bdart format\b/, /--set-exit-if-changed|--output=none/],
];

/** The effect of one command line. */
export function lineEffect(line: string): RecipeEffect {
  for (const [tool, check] of FORMATTERS) {
    if (!tool.test(line)) continue;
    return check.test(line) ? 'checks' : 'edits';
  }
  return 'unknown';
}

/** The effect of a whole recipe: it edits if any line edits, checks if some line checks. */
export function recipeEffect(lines: readonly string[]): RecipeEffect {
  let effect: RecipeEffect = 'unknown';
  for (const line of lines) {
    const e = lineEffect(line);
    if (e === 'edits') return 'edits';
    if (e === 'checks') effect = 'checks';
  }
  return effect;
}

/** Whether a recipe with this effect may stand for `name` (format edits; lint does not). */
export function fitsCommand(name: string, effect: RecipeEffect): boolean {
  if (name === 'format') return effect !== 'checks';
  if (name === 'lint' || name === 'typecheck' || name === 'test' || name === 'build')
    return effect !== 'edits';
  return true;
}

/** The recipe lines of make target `target` (tab-indented lines after its rule). */
export function makeRecipe(text: string, target: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  let inside = false;
  const rule = new RegExp(
    `^([^\\t#:=][^:=]*\\s)?${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s[^:=]*)?::?(?!=)(.*)$`,
  );
  for (const line of lines) {
    if (inside) {
      if (line.startsWith('\t')) {
        out.push(line.trim());
        continue;
      }
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      inside = false;
    }
    const m = rule.exec(line);
    if (m && !line.startsWith('\t')) {
      inside = true;
      // "fmt: ; gofmt -l ." puts the recipe on the rule line.
      const inline = (m[3] ?? '').split(';').slice(1).join(';').trim();
      if (inline) out.push(inline);
    }
  }
  return out;
}

/** The body lines of just recipe `name` (indented lines after its header). */
export function justRecipe(text: string, name: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  let inside = false;
  const header = new RegExp(
    `^@?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s+[^:=\\n]*)?:(?!=)`,
  );
  for (const line of lines) {
    if (inside) {
      if (/^\s+\S/.test(line)) {
        out.push(line.trim().replace(/^[@-]+/, ''));
        continue;
      }
      if (line.trim() === '') continue;
      inside = false;
    }
    if (header.test(line)) inside = true;
  }
  return out;
}
