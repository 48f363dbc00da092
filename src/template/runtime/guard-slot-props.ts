import { closestName } from '../closest-name.js';

/** Options of `guardSlotProps`. */
export type GuardSlotPropsOptions = {
  /** The row's props (slot name → value), as the component would receive them. */
  props: Record<string, unknown>;
  /** Template id, for the message. */
  templateId: string;
  /** The template's declared slot names: reading one is always allowed, even when the row has no value for it. */
  slotNames: readonly string[];
};

/**
 * String keys that code reads from any props object without meaning a slot: JSON.stringify, promise checks,
 * React's element checks, coercion to a string, and the JSX reserved props.
 */
const HARMLESS_PROBES: ReadonlySet<string> = new Set(['toJSON', 'then', 'constructor', '$$typeof', 'valueOf', 'toString', 'children', 'key', 'ref', '__proto__']);

/** Name of the error a guarded props object throws; the page reports it as `TemplatePropError: …`. */
export const TEMPLATE_PROP_ERROR = 'TemplatePropError';

/**
 * Wraps a component's props in a read-only view that throws when the component reads a string key that is
 * neither a declared slot, a key the object has (own or inherited, e.g. `hasOwnProperty`), nor a harmless
 * probe. esbuild bundles templates without type-checking, so a misspelled slot (`nmae` for `name`) would
 * otherwise render as `undefined` and give a video that silently lacks the text.
 * `'x' in props`, `Object.keys`, spreading and `JSON.stringify` work as on the plain object (only `get` is trapped).
 */
export function guardSlotProps({ props, templateId, slotNames }: GuardSlotPropsOptions): Record<string, unknown> {
  const declared = new Set(slotNames);
  return new Proxy(props, {
    get(target, key, receiver) {
      if (typeof key === 'symbol' || declared.has(key) || HARMLESS_PROBES.has(key) || Reflect.has(target, key)) return Reflect.get(target, key, receiver);
      const guess = closestName({ wanted: key, names: slotNames });
      const slots = slotNames.length > 0 ? `Its slots: ${slotNames.map((name) => `"${name}"`).join(', ')}.` : 'It declares no slots.';
      const error = new Error(
        `Template "${templateId}" reads prop "${key}", which is not a slot.${guess ? ` Did you mean "${guess}"?` : ''} ${slots} ` +
          'Declare it in slots or fix the spelling; `npm run typecheck` catches this before rendering.',
      );
      error.name = TEMPLATE_PROP_ERROR;
      throw error;
    },
  });
}
