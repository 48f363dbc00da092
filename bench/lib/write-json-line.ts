/** Writes `value` as one JSON line on stdout (what `--json` gives; progress goes to stderr). */
export function writeJsonLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
