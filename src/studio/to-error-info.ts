import path from 'node:path';
import { toErrorRecord } from '../errors/index.js';
import type { SourceLocation, StudioErrorInfo } from './types.js';

/** `file.tsx:12:7` as esbuild, the dataset stage and stack traces write it. */
const LOCATION = /((?:[A-Za-z]:)?[^\s:()'"]*\.(?:tsx|ts|jsx|js|mjs|cjs|css|json|csv|tsv|ndjson|jsonl)):(\d+):(\d+)/g;

/** Finds `file:line:column` places in a message, in order, without repeats. */
export function findSourceLocations(message: string): SourceLocation[] {
  const found: SourceLocation[] = [];
  for (const match of message.matchAll(LOCATION)) {
    const location = { file: match[1] as string, line: Number(match[2]), column: Number(match[3]) };
    if (!found.some((l) => l.file === location.file && l.line === location.line && l.column === location.column)) found.push(location);
  }
  return found;
}

/**
 * Turns anything thrown into the API's error shape: code, message, and the source locations the message names
 * (relative to `relativeTo`, the project folder, when they are inside it).
 */
export function toErrorInfo(error: unknown, relativeTo: string | null = null): StudioErrorInfo {
  const record = toErrorRecord(error);
  const locations = findSourceLocations(record.message).map((location) => {
    if (relativeTo === null || !path.isAbsolute(location.file)) return location;
    const relative = path.relative(relativeTo, location.file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? location : { ...location, file: relative.split(path.sep).join('/') };
  });
  return { code: record.code, message: record.message, locations };
}
