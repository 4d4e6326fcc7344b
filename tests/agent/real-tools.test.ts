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
