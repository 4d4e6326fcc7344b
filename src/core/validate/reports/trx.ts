import type { TestCase, TestStatus } from '../test-report.js';
import { relativePath, testCase } from './types.js';

const ATTR = /([\w:.-]+)\s*=\s*"([^"]*)"/g;
const TAG = (name: string): RegExp => new RegExp(`<${name}\\b((?:[^>"]|"[^"]*")*?)/?>`, 'g');

function attributes(text: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of text.matchAll(ATTR))
    attrs[m[1] ?? ''] = (m[2] ?? '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  return attrs;
}

/**
 * Visual Studio TRX, as `dotnet test --logger trx` writes it: <UnitTest id> definitions
 * hold the class (<TestMethod className>) and the test assembly (codeBase, used as the
 * file); <UnitTestResult testId outcome> the outcome (Passed; Failed, Error, Timeout,
 * Aborted count as failed; NotExecuted, Inconclusive as skipped).
 */
export function parseTrx(text: string, root?: string): TestCase[] {
  if (!/<TestRun\b/.test(text)) throw new Error('not a TRX file');
  const body = text.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  const definitions = new Map<string, { className?: string; codeBase?: string }>();
  for (const unit of body.matchAll(/<UnitTest\b((?:[^>"]|"[^"]*")*)>([\s\S]*?)<\/UnitTest>/g)) {
    const id = attributes(unit[1] ?? '').id;
    const method = TAG('TestMethod').exec(unit[2] ?? '');
    if (id) definitions.set(id, method ? attributes(method[1] ?? '') : {});
  }
  const tests: TestCase[] = [];
  for (const m of body.matchAll(TAG('UnitTestResult'))) {
    const r = attributes(m[1] ?? '');
    const outcome = r.outcome ?? '';
    const status: TestStatus =
      outcome === 'Passed'
        ? 'passed'
        : outcome === 'NotExecuted' || outcome === 'Inconclusive'
          ? 'skipped'
          : 'failed';
    const def = definitions.get(r.testId ?? '') ?? {};
    const name = r.testName ?? '';
    const cls = def.className ?? '';
    const parts =
      cls && name.startsWith(`${cls}.`)
        ? [cls, name.slice(cls.length + 1)]
        : cls
          ? [cls, name]
          : [name];
    const file = def.codeBase ? relativePath(def.codeBase, root).replace(/^.*\//, '') : undefined;
    tests.push(testCase(file, parts, status));
  }
  return tests;
}
