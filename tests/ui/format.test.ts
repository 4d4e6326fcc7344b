import { describe, expect, it } from 'vitest';
import { formatCost } from '../../src/ui/format.js';

describe('formatCost', () => {
  it('shows unknown as unknown, never $0, and a tiny real cost as not zero', () => {
    expect(formatCost(null)).toBe('unknown');
    expect(formatCost(0)).toBe('$0.00');
    expect(formatCost(0.00003)).toBe('<$0.0001');
    expect(formatCost(0.0023)).toBe('$0.0023');
    expect(formatCost(1.234)).toBe('$1.23');
  });
});
