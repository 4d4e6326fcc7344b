/**
 * How many lines each part of the live area gets, so that the whole live area
 * stays below the terminal height (Ink clears the screen when it does not).
 */
export interface LiveLayout {
  specs: number;
  text: number;
  tools: number;
}

export function liveLayout(input: {
  rows: number;
  specCount: number;
  details: boolean;
  /** Lines taken by header, attempt line, notice, validation, gauges, footer. */
  fixed: number;
}): LiveLayout {
  const avail = Math.max(4, input.rows - 1 - input.fixed);
  const wantSpecs = Math.min(input.specCount, input.details ? input.specCount : 5);
  const wantText = input.details ? 8 : 3;
  const wantTools = input.details ? 12 : 6;
  // Share the room: specs first (at most half), then text, then tools; shrink evenly.
  let specs = Math.min(wantSpecs, Math.max(1, Math.floor(avail / 2)));
  if (input.specCount === 0) specs = 0;
  let rest = avail - specs;
  const text = Math.min(wantText, Math.max(0, Math.floor(rest / 3)));
  rest -= text;
  const tools = Math.min(wantTools, Math.max(0, rest - 1));
  if (specs < input.specCount && specs < 2) specs = Math.min(input.specCount, 2);
  return { specs, text, tools };
}
