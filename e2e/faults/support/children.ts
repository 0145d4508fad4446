// Child-process helpers live beside the server's own tests (test/production spawns compiled nodes too).
export * from '../../../realtime-server/test/support/children.js';
