/** File extensions the inbox watcher picks up (compared case-insensitively). */
export const INBOX_DATA_EXTENSIONS: readonly string[] = ['.csv', '.tsv', '.json', '.ndjson', '.jsonl'];

/**
 * Suffixes of files that are still being written by a download or copy tool; the watcher waits for the rename to
 * the final name instead.
 */
export const INBOX_PARTIAL_SUFFIXES: readonly string[] = ['.tmp', '.part', '.crdownload'];

/** Suffix of the sidecar that travels with a data file: `leads.csv` → `leads.csv.reelwright.json`. */
export const SIDECAR_SUFFIX = '.reelwright.json';

/**
 * Whether a file name in the inbox is a dataset the watcher should pick up.
 *
 * Picked up: names ending in `.csv`, `.tsv`, `.json`, `.ndjson` or `.jsonl` (any case).
 * Ignored: dotfiles (`.leads.csv`), partial downloads (`*.tmp`, `*.part`, `*.crdownload`), sidecars
 * (`*.reelwright.json`), office lock files (`~$leads.csv`) and editor backups (`leads.csv~`).
 *
 * @example
 * isInboxDataFile('recap--2025-05.csv'); // true
 * isInboxDataFile('leads.csv.part'); // false
 */
export function isInboxDataFile(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower.startsWith('.') || lower.startsWith('~$') || lower.endsWith('~')) return false;
  if (INBOX_PARTIAL_SUFFIXES.some((suffix) => lower.endsWith(suffix))) return false;
  if (lower.endsWith(SIDECAR_SUFFIX)) return false;
  return INBOX_DATA_EXTENSIONS.some((extension) => lower.endsWith(extension) && lower.length > extension.length);
}
