import { editDistance } from '../template/index.js';
import type { Slot } from '../template/index.js';

/** Column names compare ignoring case, spaces, underscores and dashes: "First Name" = "first_name". */
export function normalizeColumnName(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/** Names this short only count as "contained" in a slot name when they are the whole name ("e" is in "name"). */
const MIN_CONTAINED_CHARS = 3;

/**
 * The column among `columns` that most likely was meant for a slot, if any looks close: its name
 * (or one of its aliases) contains the column's name or is contained in it ("Photo URL" for
 * `photo`), or is a few typos away ("backgrund" for `background`: one edit per 4 characters, at
 * least one). Names compare as in column matching (case, spaces, underscores and dashes ignored).
 * Used for "did you mean" in the missing-column error and in the unused-column warnings.
 *
 * @example
 * suggestColumn('background', { kind: 'image', optional: true }, ['name', 'backgrund']); // 'backgrund'
 */
export function suggestColumn(slotName: string, slot: Slot, columns: readonly string[]): string | null {
  const wanted = [slotName, ...(slot.aliases ?? [])].map(normalizeColumnName);
  let best: string | null = null;
  let bestScore = Infinity;
  for (const column of columns) {
    const n = normalizeColumnName(column);
    if (n === '') continue;
    for (const w of wanted) {
      const contained = Math.min(n.length, w.length) >= MIN_CONTAINED_CHARS && (n.includes(w) || w.includes(n));
      const score = contained ? 1 : editDistance(n, w);
      if (score <= Math.max(1, Math.floor(w.length / 4)) && score < bestScore) {
        best = column;
        bestScore = score;
      }
    }
  }
  return best;
}
