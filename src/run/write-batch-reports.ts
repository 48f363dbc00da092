import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Journal } from '../journal/index.js';
import { log, type LogLevel, type OnLog } from '../log/index.js';
import { buildRunReport, makeThumbnail, toRowId, writeRunReports, type RunReport } from '../report/index.js';

/** Reports embed at most this many thumbnails (one ffmpeg call each). */
export const DEFAULT_MAX_THUMBNAILS = 300;

/** Options of `writeBatchReports`. */
export type WriteBatchReportsOptions = {
  journal: Journal;
  runId: string;
  outDir: string;
  /** Where thumbnails are kept between runs. */
  thumbsDir: string;
  logLevel: LogLevel;
  onLog: OnLog | null;
};

/**
 * Builds the run's cost report from the journal and writes CSV, JSON and HTML next to the
 * outputs (`<outDir>/reports/report-<runId>.*`), with a thumbnail per rendered video.
 */
export async function writeBatchReports(options: WriteBatchReportsOptions): Promise<{ report: RunReport; files: { csv: string; json: string; html: string } }> {
  const report = buildRunReport({ journal: options.journal, runId: options.runId });
  const thumbnails = new Map<string, string>();
  for (const row of report.rows) {
    if (thumbnails.size >= DEFAULT_MAX_THUMBNAILS) break;
    if (!row.outputPath || !existsSync(row.outputPath)) continue;
    const id = toRowId({ rowKey: row.rowKey, variant: row.variant });
    try {
      // Keyed by the video's identity on disk, not its path alone: a re-rendered row keeps its path, and its
      // report must not show the old video's thumbnail.
      const { mtimeMs, size } = statSync(row.outputPath);
      const file = path.join(options.thumbsDir, `${createHash('sha256').update(`${row.outputPath}\0${mtimeMs}\0${size}`).digest('hex').slice(0, 24)}.jpg`);
      if (!existsSync(file)) await makeThumbnail({ video: row.outputPath, outFile: file });
      thumbnails.set(id, file);
    } catch (error) {
      log.warn({ logLevel: options.logLevel, tag: 'writeBatchReports()', onLog: options.onLog }, `no thumbnail for ${row.outputPath}:`, error);
    }
  }
  const dir = path.join(options.outDir, 'reports');
  const files = await writeRunReports({ report, dir, baseName: `report-${options.runId}`, thumbnails, logLevel: options.logLevel, onLog: options.onLog });
  return { report, files };
}
