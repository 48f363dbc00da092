/**
 * What a template imports as `reelwright`: `defineTemplate`, slot types and the in-page runtime.
 * Browser-safe: nothing here may import Node modules.
 */
export { defineTemplate } from '../template/index.js';
export type { SlotProps, SlotMap, TemplateDefinition, VideoConfig, ClipAspect } from '../template/index.js';
