import type { AudioFrameEntry } from '../../render/index.js';
import { planPreviewAudio, type AudioElementState } from './plan-preview-audio.js';

/**
 * The preview's sound, in the studio's own document (the Play click is the user gesture that lets it play): one
 * `<audio>` element per distinct src, kept in step with the frames the preview shows (`sync`), silent otherwise.
 */
export class PreviewAudio {
  readonly #elements = new Map<string, HTMLAudioElement>();
  readonly #container: HTMLElement;
  #muted = false;

  constructor(container: HTMLElement) {
    this.#container = container;
  }

  get muted(): boolean {
    return this.#muted;
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    for (const element of this.#elements.values()) element.muted = muted;
  }

  /** Plays what the shown frame's entries say (absolute srcs), `lateSeconds` after that frame's time. */
  sync(entries: readonly AudioFrameEntry[], lateSeconds: number): void {
    const states = new Map<string, AudioElementState>();
    for (const [src, element] of this.#elements) states.set(src, { currentTime: element.currentTime, duration: element.duration });
    const plan = planPreviewAudio({ entries, elements: states, lateSeconds });
    for (const src of plan.pause) this.#elements.get(src)?.pause();
    for (const step of plan.play) {
      const element = this.#elements.get(step.src) ?? this.#create(step.src);
      element.volume = step.volume;
      if (element.playbackRate !== step.playbackRate) element.playbackRate = step.playbackRate;
      if (step.seekTo !== null) element.currentTime = step.seekTo;
      // A rejected play() (interrupted by a pause, or refused by the autoplay policy) just stays silent.
      if (element.paused) element.play().catch(() => undefined);
    }
  }

  /** Silences every element; `drop` also removes them (a new bundle has new asset URLs). */
  stop(options: { drop?: boolean } = {}): void {
    for (const element of this.#elements.values()) {
      element.pause();
      if (options.drop) {
        element.removeAttribute('src');
        element.load();
        element.remove();
      }
    }
    if (options.drop) this.#elements.clear();
  }

  #create(src: string): HTMLAudioElement {
    const element = document.createElement('audio');
    element.preload = 'auto';
    element.muted = this.#muted;
    element.dataset['testid'] = 'preview-audio';
    element.hidden = true;
    element.src = src;
    this.#container.appendChild(element);
    this.#elements.set(src, element);
    return element;
  }
}
