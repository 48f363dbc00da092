import path from 'node:path';
import { watchTemplate } from './watch-template.js';
import type { TemplateBuild, TemplateWatch } from './watch-template.js';

/** Options of `createTemplateRegistry`. */
export type CreateTemplateRegistryOptions = {
  /** Cache root for bundles (`<stateDir>/cache`). */
  cacheDir: string;
  /** Folders never watched (state folder, outputs). */
  ignore: readonly string[];
  /** Called for every build change of every open template. */
  onChange: (entry: string, build: TemplateBuild) => void;
};

/** The templates the studio has open, each watched and rebuilt on change. */
export interface TemplateRegistry {
  /** The watch of a template entry, started on first use. */
  open(entry: string): Promise<TemplateWatch>;
  /** Stops every watch. */
  close(): Promise<void>;
}

/**
 * Keeps one `watchTemplate` per opened template entry, so every page and request shares its builds.
 *
 * @example
 * const templates = createTemplateRegistry({ cacheDir, ignore: [stateDir], onChange: (entry, build) => hub.send(…) });
 * const build = await (await templates.open('/work/demo/templates/welcome/index.tsx')).settled();
 */
export function createTemplateRegistry(options: CreateTemplateRegistryOptions): TemplateRegistry {
  const watches = new Map<string, Promise<TemplateWatch>>();
  let closed = false;
  return {
    open(entry) {
      const absolute = path.resolve(entry);
      let watch = watches.get(absolute);
      if (!watch) {
        if (closed) return Promise.reject(new Error('The studio is closed.'));
        watch = watchTemplate({ entry: absolute, cacheDir: options.cacheDir, ignore: options.ignore, onChange: (build) => options.onChange(absolute, build) });
        watches.set(absolute, watch);
        watch.catch(() => watches.delete(absolute));
      }
      return watch;
    },
    async close() {
      closed = true;
      const all = [...watches.values()];
      watches.clear();
      await Promise.all(all.map(async (watch) => (await watch.catch(() => null))?.close()));
    },
  };
}
