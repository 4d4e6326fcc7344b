import { z } from 'zod';
import { configSchema } from './schema.js';

/** JSON Schema of the config file, generated from the one zod schema. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input' }),
    title: 'mmm configuration (.mmm/config.toml)',
  };
}
