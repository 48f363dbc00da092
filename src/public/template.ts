/**
 * What a template imports as `reelwright`: `defineTemplate`, slot types and the in-page runtime.
 * Browser-safe: nothing here may import Node modules.
 */
export { defineTemplate } from '../template/define-template.js';
export type {
  SlotProps,
  SlotMap,
  Slot,
  TemplateDefinition,
  TemplateOptions,
  VideoConfig,
  ClipAspect,
} from '../template/types.js';
export {
  useCurrentFrame,
  useVideoConfig,
  interpolate,
  Easing,
  spring,
  Sequence,
  AbsoluteFill,
  Img,
  BRoll,
  Audio,
  delayRender,
  continueRender,
} from '../template/runtime/index.js';
export type {
  InterpolateOptions,
  EasingFunction,
  SpringOptions,
  SequenceProps,
  AbsoluteFillProps,
  ImgProps,
  BRollProps,
  AudioProps,
} from '../template/runtime/index.js';
