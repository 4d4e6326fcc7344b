/**
 * Numbers given as text (MMM_* variables, command-line flags) must be plain decimals:
 * an optional minus sign, digits, an optional fraction — `5`, `0.25`, `-1`, `.5`.
 * `Number()` would also take `0x10`, `0b1`, `1e-9`, `Infinity` and `  `; a typo there
 * must not become a silently different budget. (TOML files follow TOML's own number
 * grammar: `0x10` and `1e-9` are typed TOML numbers there.)
 */
const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)$/;

export function parseDecimal(text: string): number | undefined {
  const t = text.trim();
  return DECIMAL.test(t) ? Number(t) : undefined;
}

export const DECIMAL_HINT =
  'expected a plain decimal number such as 5 or 0.25 (no hex, exponent or other forms)';
