/**
 * @module fs
 * File-system primitives shared by stages: atomic file and folder writes, and an existence check. Owns no paths,
 * formats or error codes of its own (callers map failures to their stage's errors); never reads or writes anything
 * it is not handed.
 */
export { pathExists } from './path-exists.js';
export { writeFilesAtomic } from './write-files-atomic.js';
export type { WriteFilesAtomicOptions } from './write-files-atomic.js';
export { writeFolderAtomic } from './write-folder-atomic.js';
export type { WriteFolderAtomicOptions, WriteFolderAtomicResult } from './write-folder-atomic.js';
