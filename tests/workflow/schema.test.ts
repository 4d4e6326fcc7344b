import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { workflowJsonSchema } from '../../src/core/workflow/schema.js';

const FILE = fileURLToPath(new URL('../../docs/workflow.schema.json', import.meta.url));

/** `UPDATE_WORKFLOW_SCHEMA=1 npx vitest run tests/workflow/schema.test.ts` rewrites the file. */
describe('docs/workflow.schema.json', () => {
  it('is the JSON Schema generated from the zod schema the parser checks files with', async () => {
    // Formatted as the repository's prettier formats it, so `prettier --check .` agrees.
    const generated = await format(JSON.stringify(workflowJsonSchema()), { parser: 'json' });
    if (process.env.UPDATE_WORKFLOW_SCHEMA === '1') writeFileSync(FILE, generated);
    expect(
      readFileSync(FILE, 'utf8'),
      'regenerate: UPDATE_WORKFLOW_SCHEMA=1 npx vitest run tests/workflow/schema.test.ts',
    ).toBe(generated);
  });

  it('describes every step kind and the keys of a step', () => {
    const schema = workflowJsonSchema() as {
      required: string[];
      properties: {
        steps: { items: { anyOf: { required: string[]; additionalProperties: boolean }[] } };
      };
    };
    expect(schema.required).toEqual(['steps']);
    const kinds = schema.properties.steps.items.anyOf.map((s) => s.required[0]);
    expect(kinds).toEqual(['agent', 'shell', 'validate', 'commit', 'goal_seek', 'workflow']);
    expect(schema.properties.steps.items.anyOf.every((s) => s.additionalProperties === false)).toBe(
      true,
    );
  });
});
