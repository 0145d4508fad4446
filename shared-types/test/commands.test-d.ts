import { describe, it } from 'vitest';

/**
 * Type tests for the command map (issue 13: request and answer types per command in shared-types).
 * The map is being added on another branch; its tests go here, in the style of
 * socket-events.test-d.ts: what compiles, and `@ts-expect-error` lines that must not.
 */
describe('command map', () => {
  it.todo('a command with its request compiles, and its answer type follows from the command type');
  it.todo('a wrong request, an unknown command type and a wrong answer fail to compile');
  it.todo('a queued command keeps its request type (`{ key, command: { type, req } }`)');
});
