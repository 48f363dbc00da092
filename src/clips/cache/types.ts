import type { ClipId } from '../types.js';

/** A clip's QA verdict as stored with it (plain JSON, written by the QA gate). */
export type ClipQaRecord = Readonly<Record<string, unknown>>;

/** One cached clip with its provenance. */
export type ClipCacheEntry = {
  clipId: ClipId;
  /** Absolute path of the content-addressed file (`<stateDir>/clips/<h[0:2]>/<h>.mp4`). */
  file: string;
  /** sha256 (hex) of the file's bytes. */
  fileHash: string;
  bytes: number;
  provider: string;
  model: string;
  /** The normalized prompt the clip was generated from. */
  prompt: string;
  /** The provider's task id, or null (local provider). */
  taskId: string | null;
  /** What generating it cost (all attempts are in the journal), or null when unknown. */
  costUsd: number | null;
  costSource: string | null;
  qa: ClipQaRecord | null;
  /** A pinned clip is never pruned. */
  pinned: boolean;
  /** Made by a `--draft` run (cheaper model); never used by final runs (the clip id differs). */
  draft: boolean;
  /** ms since the epoch. */
  createdAt: number;
  /** ms since the epoch of the last `put` or `get`; `prune({ olderThanMs })` counts from it. */
  lastUsedAt: number;
};

/** Provenance passed to `ClipCache.put`. */
export type PutClipMeta = {
  provider: string;
  model: string;
  prompt: string;
  taskId: string | null;
  costUsd: number | null;
  costSource?: string | null;
  qa?: ClipQaRecord | null;
  draft: boolean;
  /** Pin on arrival (default false). */
  pinned?: boolean;
};

/** Options of `ClipCache.prune`. */
export type PruneClipsOptions = {
  /** Remove clips not used for longer than this (ms; parse `30d` with `parseAge`). */
  olderThanMs?: number | null;
  /** Then remove least-recently-used clips until the cache's files fit in this many bytes (`parseSize('10GB')`). */
  maxBytes?: number | null;
  /** Clips that must stay: those referenced by an unfinished run (`Journal.listProtectedClipIds()`). */
  protect: ReadonlySet<ClipId>;
  /** Report what would be removed without removing it. */
  dryRun?: boolean;
};

/** What `ClipCache.prune` removed (or would remove). */
export type PruneClipsResult = {
  removed: ClipCacheEntry[];
  /** Bytes of files deleted (a file shared by several clip ids counts once, when its last entry goes). */
  freedBytes: number;
  /** Bytes of the files that remain. */
  remainingBytes: number;
  /** True when pinned and protected clips alone exceed `maxBytes`. */
  overLimit: boolean;
  /** Stray files with no index entry (older than an hour) that were deleted. */
  orphansRemoved: string[];
};

/** One corrupt file found by `ClipCache.verify`. */
export type CorruptClip = {
  /** The clip ids that pointed at it (all dropped from the index). */
  clipIds: ClipId[];
  expectedHash: string;
  actualHash: string;
  /** Where the file was moved, under `<stateDir>/clips/quarantine/`. */
  quarantinedTo: string;
};

/** What `ClipCache.verify` found. */
export type VerifyClipsResult = {
  /** Files re-hashed. */
  checked: number;
  /** Files whose bytes match their hash. */
  ok: number;
  /** Entries whose file is gone (dropped from the index). */
  missing: ClipCacheEntry[];
  corrupt: CorruptClip[];
  /** Files in the cache folder with no index entry (left alone; `prune` removes old ones). */
  orphans: string[];
};
