/**
 * A cheap "did this object change?" test used to save only the iterations that changed.
 * A snapshot records an object's own fields and, for fields holding an object or array,
 * that value's own entries, compared with `===`. Replacing a field or a nested value is
 * detected; mutating something three levels deep is not (iterations never nest deeper
 * than CheckResult objects, which are created once).
 */
export interface Snapshot {
  keys: string[];
  values: unknown[];
  nested: (unknown[] | undefined)[];
}

function entries(value: unknown): unknown[] | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return value.slice();
  const out: unknown[] = [];
  for (const k of Object.keys(value)) out.push(k, (value as Record<string, unknown>)[k]);
  return out;
}

export function snapshotOf(object: object): Snapshot {
  const keys = Object.keys(object);
  const values = keys.map((k) => (object as Record<string, unknown>)[k]);
  return { keys, values, nested: values.map(entries) };
}

function sameEntries(value: unknown, before: unknown[]): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    if (value.length !== before.length) return false;
    for (let j = 0; j < value.length; j++) if (value[j] !== before[j]) return false;
    return true;
  }
  let j = 0;
  for (const k in value) {
    if (before[j++] !== k || before[j++] !== (value as Record<string, unknown>)[k]) return false;
  }
  return j === before.length;
}

export function sameAsSnapshot(object: object, snap: Snapshot): boolean {
  let i = 0;
  for (const k in object) {
    if (k !== snap.keys[i]) return false;
    const v = (object as Record<string, unknown>)[k];
    if (v !== snap.values[i]) return false;
    const before = snap.nested[i];
    if (before && !sameEntries(v, before)) return false;
    i++;
  }
  return i === snap.keys.length;
}
