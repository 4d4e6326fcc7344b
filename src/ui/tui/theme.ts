import { createContext, useContext } from 'react';

/**
 * Colors for the TUI. With colors off (NO_COLOR, TERM=dumb) every entry is undefined
 * and nothing is dimmed, so Ink writes no color escapes.
 */
export interface Theme {
  ok?: string;
  bad?: string;
  warn?: string;
  accent?: string;
  muted?: string;
  dim: boolean;
}

export const COLOR_THEME: Theme = {
  ok: 'green',
  bad: 'red',
  warn: 'yellow',
  accent: 'cyan',
  muted: 'gray',
  dim: true,
};

export const PLAIN_THEME: Theme = { dim: false };

export const ThemeContext = createContext<Theme>(COLOR_THEME);

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
