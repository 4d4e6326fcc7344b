import type { SpecProblem } from './model.js';

/**
 * The size limit of what a spec puts in front of the model (`specs.max_size`): a spec
 * over it is read by mmm whole (criteria, checks) but warned about, and the model gets
 * its first `max` bytes with a note pointing at the file for the rest — a spec of
 * megabytes in every request would cost more than the work it describes.
 */
export const DEFAULT_MAX_SIZE = 64 * 1024;

export function formatKb(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.ceil(bytes / 1024)} KB`;
}

export function sizeWarning(file: string, size: number, max: number): SpecProblem {
  return {
    file,
    line: 1,
    column: 1,
    severity: 'warning',
    message: `spec is ${formatKb(size)}, over specs.max_size (${formatKb(max)}): the model reads the first ${formatKb(max)} and is pointed at the file for the rest; split it into smaller specs or raise specs.max_size`,
  };
}

/**
 * `body` cut to at most `max` bytes of UTF-8 (at a line end when one is near), with a
 * note naming the file; unchanged when it fits.
 */
export function capBody(body: string, file: string, max: number): string {
  if (body.length <= max / 4 || Buffer.byteLength(body, 'utf8') <= max) return body;
  let cut = Buffer.from(body, 'utf8')
    .subarray(0, max)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  const nl = cut.lastIndexOf('\n');
  if (nl > cut.length * 0.8) cut = cut.slice(0, nl + 1);
  const total = formatKb(Buffer.byteLength(body, 'utf8'));
  return `${cut}\n\n[… the spec continues: it is ${total}, and only the first ${formatKb(max)} is shown here. Read the rest in ${file} with the view command.]\n`;
}
