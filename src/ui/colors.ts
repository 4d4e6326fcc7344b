import pc from 'picocolors';

/**
 * Colors only on a TTY and never with NO_COLOR (https://no-color.org) or TERM=dumb.
 * FORCE_COLOR=1 forces them (for tests of colored output).
 */
export function colorEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') return false;
  if (process.env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}

const colors = pc.createColors(colorEnabled(process.stdout));
const errColors = pc.createColors(colorEnabled(process.stderr));

/** For stdout. */
export const color = colors;
/** For stderr. */
export const paint = errColors;

export type Colors = ReturnType<typeof pc.createColors>;

/** Colors for a given stream (e.g. the stream a renderer writes to). */
export function colorsFor(stream: NodeJS.WriteStream): Colors {
  return pc.createColors(colorEnabled(stream));
}
