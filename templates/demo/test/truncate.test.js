import { test } from 'node:test';
import assert from 'node:assert/strict';
import { truncate } from '../src/index.js';

test('truncate keeps short text as it is', () => {
  assert.equal(truncate('short', 10), 'short');
});

test('truncate cuts long text and adds an ellipsis', () => {
  assert.equal(truncate('The quick brown fox', 10), 'The quick…');
});
