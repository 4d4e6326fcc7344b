import { execFileSync, spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** Structural checks of the HTML report's charts, and a headless Chromium to render it. */

function section(html: string, id: string): string {
  const start = html.indexOf(`<svg id="${id}"`);
  if (start === -1) return '';
  return html.slice(start, html.indexOf('</svg>', start));
}

const count = (text: string, re: RegExp): number => (text.match(re) ?? []).length;

export function chartCounts(html: string) {
  const tokens = section(html, 'chart-tokens');
  return {
    tokenBars: count(tokens, /<g class="bar"/g),
    tokenSegments: count(tokens, /<rect class="seg /g),
    costBars: count(section(html, 'chart-cost'), /<g class="bar"/g),
    costSegments: count(section(html, 'chart-cost'), /<rect class="seg /g),
    cachePoints: count(section(html, 'chart-cache'), /<circle class="point/g),
    timelineAttempts: count(section(html, 'chart-timeline'), /<rect class="attempt/g),
    timeBars: count(section(html, 'chart-time'), /<g class="hbar"/g),
  };
}

/** Debian's `chromium` (or chromium-browser / google-chrome) on PATH, else undefined. */
export function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return (
        execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined
      );
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** Render `html` (a file) to a 1000 px wide PNG with headless Chromium, offline. */
export function screenshot(
  chromium: string,
  html: string,
  png: string,
  height = 2400,
): Promise<void> {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--hide-scrollbars',
    '--no-first-run',
    '--disable-extensions',
    '--disable-background-networking',
    `--window-size=1000,${height}`,
    `--screenshot=${png}`,
    pathToFileURL(html).href,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`chromium exited ${code}:\n${stderr.slice(-2000)}`));
    });
  });
}
