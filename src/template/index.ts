/**
 * @module template
 * Owns `defineTemplate`, the slot kinds and what is derived from them (props type, row JSON Schema),
 * and the in-template runtime (frame hooks, easing, sequences, media elements).
 * Never touches files, the network or providers.
 */
export { defineTemplate, isTemplateDefinition } from './define-template.js';
export type {
  Slot,
  SlotKind,
  SlotMap,
  SlotProps,
  TextSlot,
  NumberSlot,
  ColorSlot,
  ImageSlot,
  AudioSlot,
  DateSlot,
  ChoiceSlot,
  BrollSlot,
  ClipAspect,
  RowValues,
  VariantSize,
  VideoConfig,
  TemplateOptions,
  TemplateDefinition,
} from './types.js';
export { TemplateRoot, clipFrameAt, interpolate, spring, Easing, seededRandom } from './runtime/index.js';
export type { TemplateRootProps } from './runtime/index.js';
export { loadTemplate, resolveTemplateEntry, TEMPLATE_ENTRY_NAMES } from './load-template.js';
export type { LoadTemplateOptions, LoadTemplateResult, ResolveTemplateEntryOptions } from './load-template.js';
export { slotsToJsonSchema } from './slots-to-json-schema.js';
export type { RowJsonSchema, SlotJsonSchema } from './slots-to-json-schema.js';
export { scaffoldTemplate, checkTemplateId, TEMPLATE_ID_PATTERN } from './scaffold/scaffold-template.js';
export type { ScaffoldTemplateOptions, ScaffoldTemplateResult, ScaffoldFile } from './scaffold/scaffold-template.js';
export { closestName, editDistance } from './closest-name.js';
