import type { ComponentType } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import { _audioAt } from '../../template/runtime/audio-registry.js';
import { _pendingLabels, _waitForPendingRenders } from '../../template/runtime/delay-render.js';
import { seededRandom } from '../../template/runtime/seeded-random.js';
import { TemplateRoot } from '../../template/runtime/template-root.js';
import type { TemplateDefinition } from '../../template/index.js';
import { PAGE_API_GLOBAL, type FrameResult, type PageApi, type PageInit } from './page-api.js';

/** Wall-clock time seen by templates: fixed, so `Date.now()` cannot leak into frames. */
const FROZEN_NOW = Date.UTC(2026, 0, 1);

// CSS animations and transitions run on wall-clock time; frames must depend on the frame number only.
const DETERMINISM_CSS = `*,*::before,*::after{animation:none!important;transition:none!important;caret-color:transparent!important}
html,body{margin:0;padding:0;overflow:hidden;background:transparent}`;

type HostState = {
  root: Root;
  init: PageInit;
  lastFrame: number | null;
};

/**
 * Installs `window.__reelwright` (see `PageApi`) for one template. The bundle's entry calls this;
 * the renderer and the studio drive the page through it.
 */
export function mountPageHost(template: TemplateDefinition): void {
  const container = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
  container.id = 'root';
  const style = document.createElement('style');
  style.textContent = DETERMINISM_CSS;
  document.head.appendChild(style);
  Date.now = () => FROZEN_NOW;

  const slotNames = Object.keys(template.slots);
  const errors: string[] = [];
  const onError = (message: string) => errors.push(message);
  window.addEventListener('error', (event) => onError(event.error instanceof Error ? `${event.error.name}: ${event.error.message}` : String(event.message)));
  window.addEventListener('unhandledrejection', (event) => onError(`Unhandled rejection: ${String(event.reason)}`));

  // The callback can run while we await media decoding and would drain the record queue before
  // `takeRecords()`; so it only raises a flag, and "changed" is the flag or any pending records.
  let mutated = false;
  const observer = new MutationObserver(() => {
    mutated = true;
  });
  observer.observe(container, { subtree: true, childList: true, attributes: true, characterData: true });
  const decoded = new WeakMap<HTMLImageElement, string>();
  let state: HostState | null = null;
  let fontsLoaded: Promise<void> | null = null;

  const loadFonts = () => {
    fontsLoaded ??= (async () => {
      for (const font of template.fonts ?? []) {
        const face = new FontFace(font.family, `url(${JSON.stringify(font.src)})`, { weight: font.weight ?? 'normal', style: font.style ?? 'normal' });
        try {
          document.fonts.add(await face.load());
        } catch (error) {
          onError(`Font "${font.family}" failed to load from ${font.src}: ${String(error)}`);
        }
      }
      await document.fonts.ready;
    })();
    return fontsLoaded;
  };

  const waitForMedia = async () => {
    await _waitForPendingRenders();
    const images = container.getElementsByTagName('img');
    const decodes: Promise<void>[] = [];
    for (const img of Array.from(images)) {
      const src = img.currentSrc || img.src;
      if (decoded.get(img) === src) continue;
      decodes.push(
        img.decode().then(
          () => void decoded.set(img, src),
          () => {
            onError(`Image failed to load: ${src}`);
          },
        ),
      );
    }
    await Promise.all(decodes);
    // Text may have been laid out in a fallback font while a web font was still loading.
    await document.fonts.ready;
  };

  const render = (frame: number) => {
    if (!state) throw new Error('renderFrame() called before init().');
    const { init, root } = state;
    flushSync(() => {
      root.render(
        <TemplateRoot
          component={template.component as ComponentType<Record<string, unknown>>}
          props={init.props}
          templateId={template.id}
          slotNames={slotNames}
          frame={frame}
          config={init.config}
          clipFrames={init.clipFrames}
          onError={onError}
        />,
      );
    });
  };

  const api: PageApi = {
    async init(input) {
      state?.root.unmount();
      Math.random = seededRandom(input.randomSeed);
      container.style.cssText = `position:relative;overflow:hidden;width:${input.config.width}px;height:${input.config.height}px`;
      document.documentElement.style.cssText = `width:${input.config.width}px;height:${input.config.height}px`;
      await loadFonts();
      state = { root: createRoot(container), init: input, lastFrame: null };
      render(0);
      await waitForMedia();
      observer.takeRecords();
      mutated = false;
      state.lastFrame = 0;
    },
    async renderFrame(frame): Promise<FrameResult> {
      if (!state) throw new Error('renderFrame() called before init().');
      if (state.lastFrame === frame) {
        // init() already rendered this frame; the first capture still has to happen.
        state.lastFrame = null;
        return { changed: true, audio: _audioAt(frame, onError) };
      }
      render(frame);
      await waitForMedia();
      const changed = observer.takeRecords().length > 0 || mutated;
      mutated = false;
      state.lastFrame = null;
      // <Audio> elements register in layout effects, which flushSync ran: the set is complete for this frame.
      return { changed, audio: _audioAt(frame, onError) };
    },
    takeErrors() {
      return errors.splice(0, errors.length);
    },
  };
  (window as unknown as Record<string, unknown>)[PAGE_API_GLOBAL] = api;
  (window as unknown as Record<string, unknown>)['__reelwrightPending'] = _pendingLabels;
}
