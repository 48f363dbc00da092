import { QueueError } from '../queue-error.js';
import type { StorageKey } from './types.js';

/** One key segment: letters, digits, `-`, `_`, `.`, `%`, `+`, `@`, `=`, `,`; not `.` or `..`, not starting with `.`. */
const SEGMENT = /^[A-Za-z0-9_%+@=,-][A-Za-z0-9._%+@=,-]*$/;

/** Longest key accepted (object stores cap keys at 1024 bytes). */
export const MAX_STORAGE_KEY_LENGTH = 1000;

/**
 * Checks that `value` is a safe storage key — relative POSIX segments of safe characters, no `..`, no dot files,
 * no empty segments — and brands it. Keys come back from Redis before they are joined to local paths, so this is the
 * one gate between job data and the filesystem. Throws `QueueError` `RW_STORAGE_BAD_KEY`.
 *
 * @example
 * toStorageKey('bundles/3f2a…'); // ok
 * toStorageKey('../etc/passwd'); // throws RW_STORAGE_BAD_KEY
 */
export function toStorageKey(value: string): StorageKey {
  const segments = typeof value === 'string' ? value.split('/') : [];
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_STORAGE_KEY_LENGTH || !segments.every((s) => SEGMENT.test(s))) {
    throw new QueueError(
      `${JSON.stringify(value)} is not a storage key: expected relative segments of letters, digits and -_.%+@=, separated by "/" ` +
        `(no "..", no leading ".", at most ${MAX_STORAGE_KEY_LENGTH} characters).`,
      { code: 'RW_STORAGE_BAD_KEY' },
    );
  }
  return value as StorageKey;
}

/** Turns any file name into one safe key segment (unsafe characters become `_`, at most 120 characters). */
export function toKeySegment(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 120);
  return cleaned === '' ? '_' : cleaned;
}
