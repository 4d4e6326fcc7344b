import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAgent } from '../../src/core/agent/loop.js';
import { createLlmClient } from '../../src/core/llm/client.js';
import { createTools, type ToolSet } from '../../src/core/tools/index.js';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { drain, testConfig } from '../support/test-tools.js';
import { tempDir } from '../support/tmp.js';

let fake: FakeAnthropic | undefined;
let toolSet: ToolSet | undefined;
afterEach(async () => {
  await toolSet?.dispose();
  await fake?.close();
  fake = toolSet = undefined;
});

describe('runAgent with the production tools', () => {
  it('creates and edits a file, runs a command and sends its output back', async () => {
    fake = await startFakeAnthropic({
      script: [
        {
          content: [
            {
              type: 'tool_use',
              id: 'toolu_create',
              name: 'str_replace_based_edit_tool',
              input: {
                command: 'create',
                path: 'src/greet.js',
                file_text: 'export const greet = () => "hi";\n',
              },
            },
          ],
        },
        {
          content: [
            {
              type: 'tool_use',
              id: 'toolu_edit',
              name: 'str_replace_based_edit_tool',
              input: {
                command: 'str_replace',
                path: 'src/greet.js',
                old_str: '"hi"',
                new_str: '"hello"',
              },
            },
          ],
        },
        {
          content: [
            {
              type: 'tool_use',
              id: 'toolu_run',
              name: 'bash',
              input: { command: 'cat src/greet.js' },
            },
          ],
        },
        { content: [{ type: 'text', text: 'greet now says hello.' }] },
      ],
    });
    const root = tempDir();
    const config = testConfig();
    toolSet = createTools({ root, protectedPaths: ['.mmm'], config: config.tools });
    const client = createLlmClient({
      config,
      env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: fake.url },
    });
    const { result } = await drain(
      runAgent({
        client,
        tools: toolSet.tools,
        toolContext: toolSet.context,
        system: 's',
        task: 't',
        config,
      }),
    );
    expect(result).toMatchObject({
      reason: 'end_turn',
      turns: 4,
      summary: 'greet now says hello.',
    });
    expect(readFileSync(join(root, 'src/greet.js'), 'utf8')).toBe(
      'export const greet = () => "hello";\n',
    );
    const requests = fake.messageRequests();
    expect(requests[0]?.body.tools?.map((t) => t.name)).toEqual([
      'str_replace_based_edit_tool',
      'bash',
      'report_evidence',
    ]);
    const last = requests[3]?.body.messages.at(-1)?.content;
    expect(JSON.stringify(last)).toContain('export const greet = () => \\"hello\\";');
  });
});

describe('the production tools on the wire', () => {
  async function toolsSent(toolSchema: 'anthropic' | 'custom'): Promise<unknown[]> {
    fake = await startFakeAnthropic({ script: [{ content: [{ type: 'text', text: 'done' }] }] });
    const config = testConfig({ provider: { tool_schema: toolSchema } });
    toolSet = createTools({ root: tempDir(), protectedPaths: ['.mmm'], config: config.tools });
    const client = createLlmClient({
      config,
      env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: fake.url },
    });
    const tools = { client, tools: toolSet.tools, toolContext: toolSet.context };
    await drain(runAgent({ ...tools, system: 's', task: 't', config }));
    const sent = fake.messageRequests()[0]?.body.tools ?? [];
    await toolSet.dispose();
    await fake.close();
    fake = toolSet = undefined;
    return sent.map(({ cache_control: _, ...declaration }) => declaration);
  }

  it('declares JSON-schema tools derived from zod: object schemas, every property described', async () => {
    const custom = (await toolsSent('custom')) as {
      name: string;
      description: string;
      input_schema: { type: string; properties: Record<string, { description?: string }> };
    }[];
    expect(custom.map((t) => t.name)).toEqual([
      'str_replace_based_edit_tool',
      'bash',
      'report_evidence',
    ]);
    for (const tool of custom) {
      expect(tool.description.length, tool.name).toBeGreaterThan(50);
      expect(tool.input_schema.type, tool.name).toBe('object');
      for (const [name, property] of Object.entries(tool.input_schema.properties))
        expect(property.description, `${tool.name}.${name}`).toMatch(/\w/);
      // What servers with basic JSON-schema support refuse, and zod's ±2^53 noise.
      expect(JSON.stringify(tool), tool.name).not.toMatch(
        /\$schema|anyOf|oneOf|allOf|prefixItems|9007199254740991/,
      );
    }
    const [editor, bash, evidence] = custom;
    expect(editor?.input_schema).toMatchObject({
      required: ['command', 'path'],
      properties: {
        command: { type: 'string', enum: ['view', 'create', 'str_replace', 'insert'] },
        view_range: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 },
        insert_line: { type: 'integer', minimum: 0 },
      },
    });
    expect(bash?.input_schema).toEqual({
      type: 'object',
      properties: {
        command: {
          type: 'string',
          description: 'The bash command to run. Required unless restart is true.',
        },
        restart: {
          type: 'boolean',
          description: 'Set to true to restart the shell (resets directory and variables).',
        },
      },
    });
    expect(evidence?.input_schema).not.toHaveProperty('required');
    expect(evidence?.input_schema.properties).toMatchObject({
      criterion: { type: 'integer', minimum: 1 },
      evidence: { type: 'array', items: { type: 'object', required: ['criterion', 'tests'] } },
    });
  });

  it("declares Anthropic's typed tools to api.anthropic.com, and report_evidence as JSON schema", async () => {
    const typed = await toolsSent('anthropic');
    expect(typed).toEqual([
      { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' },
      { type: 'bash_20250124', name: 'bash' },
      expect.objectContaining({ name: 'report_evidence', input_schema: expect.any(Object) }),
    ]);
  });
});
