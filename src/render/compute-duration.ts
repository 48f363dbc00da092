import { TemplateError } from '../errors/index.js';
import type { TemplateDefinition } from '../template/index.js';

/** Options for `computeDuration`. */
export type ComputeDurationOptions = {
  /** The template; only `id`, `fps` and `duration` are read. */
  template: Pick<TemplateDefinition, 'id' | 'fps' | 'duration'>;
  /** The row's props, passed to `duration` when it is a function. */
  props: Readonly<Record<string, unknown>>;
};

/** A video's length. */
export type ComputeDurationResult = {
  /** Length in seconds as the template declared it for this row. */
  seconds: number;
  /** `round(seconds × fps)`, at least 1. */
  durationInFrames: number;
};

/**
 * Works out how many frames one row's video has: `round(seconds × fps)`, where seconds is `template.duration` or
 * `template.duration(props)`. A duration function that throws, or a length that is not a positive finite number of
 * seconds (or rounds to no frame), fails with `TemplateError` `RW_TEMPLATE_DURATION_INVALID`.
 *
 * @example
 * computeDuration({ template: { id: 'x', fps: 30, duration: 2.5 }, props: {} }); // → { seconds: 2.5, durationInFrames: 75 }
 */
export function computeDuration(options: ComputeDurationOptions): ComputeDurationResult {
  const { template, props } = options;
  let seconds: unknown;
  if (typeof template.duration === 'function') {
    try {
      seconds = (template.duration as (row: Readonly<Record<string, unknown>>) => unknown)(props);
    } catch (error) {
      throw new TemplateError(`Template "${template.id}": duration(row) threw: ${(error as Error).message ?? String(error)}`, {
        code: 'RW_TEMPLATE_DURATION_INVALID',
        cause: error,
      });
    }
  } else {
    seconds = template.duration;
  }
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new TemplateError(
      `Template "${template.id}": duration must be a positive number of seconds, got ${JSON.stringify(seconds) ?? String(seconds)}` +
        `${typeof template.duration === 'function' ? ' from duration(row) for this row' : ''}.`,
      { code: 'RW_TEMPLATE_DURATION_INVALID' },
    );
  }
  const durationInFrames = Math.round(seconds * template.fps);
  if (durationInFrames < 1) {
    throw new TemplateError(`Template "${template.id}": a duration of ${seconds} s is shorter than one frame at ${template.fps} fps.`, {
      code: 'RW_TEMPLATE_DURATION_INVALID',
    });
  }
  return { seconds, durationInFrames };
}
