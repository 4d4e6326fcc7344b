import type { LoadedConfig } from './load.js';
import { configSchema } from './schema.js';
import { schemaLeafPaths } from './schema-walk.js';

export interface ConfigEntry {
  key: string;
  /** undefined when the key is unset (optional, no default). */
  value: unknown;
  source: string;
}

/** Every key of the schema with its effective value and source, in schema order. */
export function configEntries(loaded: LoadedConfig): ConfigEntry[] {
  const config = loaded.config as unknown as Record<string, unknown>;
  return schemaLeafPaths(configSchema).map((key) => {
    const value = key
      .split('.')
      .reduce<unknown>(
        (node, k) =>
          node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined,
        config,
      );
    const source = loaded.sources[key] ?? (value === undefined ? 'unset' : 'default');
    return { key, value, source };
  });
}
