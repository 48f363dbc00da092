import pc from 'picocolors';
import type { BatchProgress } from '../run/index.js';

const BAR_WIDTH = 24;
const STAGE_LABEL: Record<BatchProgress['stage'], string> = { validate: 'validate', plan: 'plan', clips: 'clips', render: 'render' };

function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** One line describing a progress event (shared by the TTY bar and the plain log). */
export function formatProgressLine(event: BatchProgress): string {
  const filled = Math.round((event.total > 0 ? event.done / event.total : 1) * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const unit = event.stage === 'clips' ? 'clips' : event.stage === 'render' ? 'videos' : 'rows';
  const parts = [`${STAGE_LABEL[event.stage].padEnd(8)} ${bar} ${event.done}/${event.total} ${unit}`];
  if (event.failed > 0) parts.push(pc.red(`${event.failed} failed`));
  if (event.stage === 'render' && event.fps > 0) parts.push(`${event.fps.toFixed(1)} fps`);
  if (event.etaMs !== null) parts.push(`ETA ${formatDuration(event.etaMs)}`);
  return parts.join(' · ');
}

/**
 * Renders progress events on stderr: one redrawn line on a terminal, a line per stage step
 * (at most every few seconds) otherwise. `--json` bypasses it and prints NDJSON on stdout.
 */
export class ProgressDisplay {
  readonly #stream: NodeJS.WriteStream;
  readonly #tty: boolean;
  #lastPlain = 0;
  #lastStage: string | null = null;
  #drawn = false;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.#stream = stream;
    this.#tty = Boolean(stream.isTTY);
  }

  update(event: BatchProgress): void {
    const line = formatProgressLine(event);
    if (this.#tty) {
      this.#stream.write(`\r\x1b[2K${line}`);
      this.#drawn = true;
      if (event.done === event.total && event.stage !== this.#lastStage) this.#lastStage = event.stage;
      return;
    }
    const now = Date.now();
    const stageChanged = event.stage !== this.#lastStage;
    if (stageChanged || event.done === event.total || now - this.#lastPlain > 5000) {
      this.#stream.write(`${line}\n`);
      this.#lastPlain = now;
      this.#lastStage = event.stage;
    }
  }

  /** Ends the redrawn line so following output starts on a fresh line. */
  done(): void {
    if (this.#tty && this.#drawn) this.#stream.write('\n');
    this.#drawn = false;
  }
}
