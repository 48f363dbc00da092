import type { TemplateBuild } from './watch-template.js';
import { toErrorInfo } from './to-error-info.js';
import type { StudioTemplateState } from './types.js';

/** Options of `toTemplateState`. */
export type ToTemplateStateOptions = {
  /** How the API names the template (its entry relative to the project). */
  ref: string;
  build: TemplateBuild;
  /** URL of a file under the state folder (the bundle's `index.html`). */
  urlOf: (file: string) => string;
  /** Error locations inside this folder (the project) are written relative to it. */
  projectDir: string;
};

/** A watched template's build in the API's plain-JSON shape. */
export function toTemplateState(options: ToTemplateStateOptions): StudioTemplateState {
  const { ref, build } = options;
  switch (build.status) {
    case 'building':
      return { status: 'building', ref };
    case 'error':
      return { status: 'error', ref, error: toErrorInfo(build.error, options.projectDir) };
    case 'ready': {
      const { definition } = build;
      return {
        status: 'ready',
        ref,
        template: {
          id: definition.id,
          version: definition.version,
          description: definition.description ?? null,
          fps: definition.fps,
          width: definition.width,
          height: definition.height,
          variants: { ...definition.variants },
          slots: definition.slots,
          rowKey: definition.rowKey ?? null,
        },
        bundleHash: build.bundle.hash,
        bundleUrl: options.urlOf(build.bundle.htmlFile),
        sourceHash: build.sourceHash,
      };
    }
  }
}
