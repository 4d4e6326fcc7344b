import type { TestCase, TestStatus } from '../test-report.js';
import { relativePath, testCase } from './types.js';

const TAG =
  /<(\/?)(testsuite|testcase|failure|error|skipped)\b((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
const ATTR = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function unescape(value: string): string {
  return value.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[\da-f]+);/gi, (_, e: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (named[e.toLowerCase()]) return named[e.toLowerCase()] ?? '';
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) ? String.fromCodePoint(code) : '';
  });
}

function attributes(text: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of text.matchAll(ATTR)) attrs[m[1] ?? ''] = unescape(m[2] ?? m[3] ?? '');
  return attrs;
}

/**
 * The test's name parts: its class (without the module path the file already names, as
 * pytest's "tests.test_calc.TestSuite" for tests/test_calc.py) and its name.
 */
function nameParts(attrs: Record<string, string>, file: string | undefined): string[] {
  let suite = attrs.class ?? attrs.classname ?? '';
  if (file && suite) {
    const module = file.replace(/\.[^./]+$/, '').replace(/\//g, '.');
    for (let m = module; m; m = m.includes('.') ? m.slice(m.indexOf('.') + 1) : '') {
      if (suite === m) {
        suite = '';
        break;
      }
      if (suite.startsWith(`${m}.`)) {
        suite = suite.slice(m.length + 1);
        break;
      }
    }
  }
  return [suite, attrs.name ?? ''];
}

/**
 * JUnit XML as written by pytest (--junitxml, xunit1 adds file), PHPUnit (--log-junit),
 * Maven Surefire/Failsafe (target/*-reports/TEST-*.xml), Gradle (build/test-results) and
 * others: every <testcase>, failed when it holds <failure> or <error>, skipped when it
 * holds <skipped>. The file is the testcase's or its suite's `file` attribute, when set.
 */
export function parseJunitXml(text: string, root?: string): TestCase[] {
  const body = text.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  if (!/<testsuites?\b|<testcase\b/.test(body)) throw new Error('not JUnit XML');
  const tests: TestCase[] = [];
  const suiteFiles: (string | undefined)[] = [];
  let open: { attrs: Record<string, string>; status: TestStatus } | undefined;
  const close = (): void => {
    if (!open) return;
    const fileAttr = open.attrs.file ?? suiteFiles.findLast((f) => f !== undefined);
    const file = fileAttr ? relativePath(fileAttr, root) : undefined;
    tests.push(testCase(file, nameParts(open.attrs, file), open.status));
    open = undefined;
  };
  for (const m of body.matchAll(TAG)) {
    const [, closing, tag, rest = '', selfClosing] = m;
    if (tag === 'testsuite') {
      if (closing) suiteFiles.pop();
      else if (!selfClosing) suiteFiles.push(attributes(rest).file);
    } else if (tag === 'testcase') {
      if (closing) close();
      else {
        close();
        open = { attrs: attributes(rest), status: 'passed' };
        if (selfClosing) close();
      }
    } else if (open && !closing) {
      if (tag === 'skipped') {
        if (open.status === 'passed') open.status = 'skipped';
      } else open.status = 'failed';
    }
  }
  close();
  return tests;
}
