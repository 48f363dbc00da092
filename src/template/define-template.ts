import { TemplateError } from '../errors/index.js';
import type { SlotMap, TemplateDefinition, TemplateOptions } from './types.js';

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
const SLOT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fail(id: string, message: string): never {
  throw new TemplateError(`Template "${id}": ${message}`, { code: 'RW_TEMPLATE_INVALID' });
}

function checkPositiveInt(id: string, name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) fail(id, `${name} must be a positive integer, got ${JSON.stringify(value)}.`);
}

/** A B-roll slot's `firstFrame` must name an image slot of the same template. */
function checkFirstFrame(id: string, brollName: string, firstFrame: unknown, slots: SlotMap): void {
  const imageSlots = Object.entries(slots)
    .filter(([, slot]) => slot.kind === 'image')
    .map(([name]) => `"${name}"`);
  const choices = imageSlots.length > 0 ? `Its image slots: ${imageSlots.join(', ')}.` : 'It has no image slot: add one (kind: "image") for the first frame.';
  if (typeof firstFrame !== 'string' || firstFrame === '') {
    fail(id, `broll slot "${brollName}": firstFrame must be the name of an image slot, got ${JSON.stringify(firstFrame) ?? String(firstFrame)}. ${choices}`);
  }
  const target = Object.hasOwn(slots, firstFrame) ? slots[firstFrame] : undefined;
  if (!target) fail(id, `broll slot "${brollName}": firstFrame "${firstFrame}" is not a slot of this template. ${choices}`);
  if (target.kind !== 'image') {
    fail(id, `broll slot "${brollName}": firstFrame "${firstFrame}" is a ${target.kind} slot; it must name an image slot (kind: "image"). ${choices}`);
  }
}

/**
 * Declares a template. The slots are the single source of truth for the component's props,
 * the row schema, the studio form, column mapping and clip requests.
 *
 * @example
 * export default defineTemplate({
 *   id: 'hello', version: '1', fps: 30, width: 1280, height: 720, duration: 3,
 *   slots: { name: { kind: 'text', maxLength: 40 } },
 *   component: ({ name }) => <AbsoluteFill>Hello {name}</AbsoluteFill>,
 * });
 */
export function defineTemplate<const S extends SlotMap>(options: TemplateOptions<S>): TemplateDefinition<S> {
  const id = String(options.id);
  if (!ID_PATTERN.test(id)) fail(id, 'id must be lowercase letters, digits and dashes (e.g. "welcome").');
  if (typeof options.version !== 'string' || options.version.length === 0) fail(id, 'version must be a non-empty string such as "1.0.0".');
  checkPositiveInt(id, 'fps', options.fps);
  checkPositiveInt(id, 'width', options.width);
  checkPositiveInt(id, 'height', options.height);
  if (typeof options.duration === 'number' && !(options.duration > 0)) fail(id, `duration must be a positive number of seconds, got ${options.duration}.`);
  if (typeof options.component !== 'function' && typeof options.component !== 'object') fail(id, 'component must be a React component.');
  for (const [name, slot] of Object.entries(options.slots)) {
    if (!SLOT_NAME_PATTERN.test(name)) fail(id, `slot name "${name}" must be letters, digits and underscores.`);
    if (slot.kind === 'choice' && slot.options.length === 0) fail(id, `choice slot "${name}" needs at least one option.`);
    if (slot.kind === 'broll' && !(slot.seconds > 0)) fail(id, `broll slot "${name}" needs seconds > 0.`);
    if (slot.kind === 'broll' && slot.firstFrame !== undefined) checkFirstFrame(id, name, slot.firstFrame, options.slots);
  }
  if (options.rowKey !== undefined && !(options.rowKey in options.slots)) fail(id, `rowKey "${options.rowKey}" is not a slot.`);
  if (options.outputName !== undefined && (typeof options.outputName !== 'string' || options.outputName.trim() === '')) {
    fail(id, `outputName must be a non-empty Handlebars pattern such as "{{name}}-{{variant}}", got ${JSON.stringify(options.outputName)}.`);
  }
  const variants = options.variants ?? { default: { width: options.width, height: options.height } };
  if (Object.keys(variants).length === 0) fail(id, 'variants must name at least one size.');
  for (const [name, size] of Object.entries(variants)) {
    checkPositiveInt(id, `variants.${name}.width`, size.width);
    checkPositiveInt(id, `variants.${name}.height`, size.height);
    // yuv420p needs even dimensions.
    if (size.width % 2 || size.height % 2) fail(id, `variant "${name}" must have even width and height for H.264, got ${size.width}×${size.height}.`);
  }
  return Object.freeze({ ...options, variants, __reelwright: 'template@1' as const });
}

/** True when a module's default export came from `defineTemplate`. */
export function isTemplateDefinition(value: unknown): value is TemplateDefinition {
  return typeof value === 'object' && value !== null && (value as { __reelwright?: unknown }).__reelwright === 'template@1';
}
