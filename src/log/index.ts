/**
 * @module log
 * The only module that may call `console`. Levels are passed explicitly on each call.
 */
export { log } from './log.js';
export type { LogLevel, LogEvent, OnLog, LogOptions } from './log.js';
