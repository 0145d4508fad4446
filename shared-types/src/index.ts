export type * from './entities.js';
export type * from './errors.js';
export type * from './events.js';
export type * from './api.js';
export type * from './commands.js';
export type * from './imports.js';
export type * from './ownership.js';
