import path from 'node:path';
import { watch } from 'chokidar';

/** Options of `watchDatasets`. */
export type WatchDatasetsOptions = {
  /** Called with the absolute path of a watched file that changed (debounced per file). */
  onChange: (file: string) => void;
  debounceMs?: number;
};

/** Watches the dataset files the studio has open, so the table follows edits made in a spreadsheet. */
export interface DatasetWatch {
  /** Starts watching a file (no-op when already watched). */
  add(file: string): void;
  close(): Promise<void>;
}

/**
 * Creates the dataset watcher: one chokidar watcher over every dataset file opened in the studio.
 *
 * @example
 * const datasets = watchDatasets({ onChange: (file) => hub.send({ type: 'dataset', ref: toProjectRef(projectDir, file) }) });
 * datasets.add('/work/demo/datasets/welcome.csv');
 */
export function watchDatasets(options: WatchDatasetsOptions): DatasetWatch {
  const debounceMs = options.debounceMs ?? 100;
  const watched = new Set<string>();
  const timers = new Map<string, NodeJS.Timeout>();
  const watcher = watch([], { ignoreInitial: true });
  watcher.on('all', (_event, changed) => {
    const file = path.resolve(changed);
    if (!watched.has(file)) return;
    clearTimeout(timers.get(file));
    timers.set(
      file,
      setTimeout(() => {
        timers.delete(file);
        options.onChange(file);
      }, debounceMs),
    );
  });
  return {
    add(file) {
      const absolute = path.resolve(file);
      if (watched.has(absolute)) return;
      watched.add(absolute);
      watcher.add(absolute);
    },
    async close() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await watcher.close();
    },
  };
}
