import type { ComponentType } from 'react';

/** Fields every slot kind shares. */
type SlotBase = {
  /** Label shown in the studio form; defaults to the slot name. */
  label?: string;
  /** One line of help for the studio form and validation messages. */
  description?: string;
  /** Other column names that map to this slot (case- and space-insensitive). */
  aliases?: readonly string[];
  /** An optional slot may be empty; a required one (the default) may not, unless it has a default. */
  optional?: boolean;
};

/** Free text. */
export type TextSlot = SlotBase & { kind: 'text'; default?: string; minLength?: number; maxLength?: number };
/** A number; CSV cells use "." as the decimal separator. */
export type NumberSlot = SlotBase & { kind: 'number'; default?: number; min?: number; max?: number; integer?: boolean };
/** A CSS hex colour, `#rgb` or `#rrggbb`. */
export type ColorSlot = SlotBase & { kind: 'color'; default?: string };
/** An image: an https/http URL or a path relative to the dataset file's folder (or to the assets folder, `--assets-dir`; `watch` uses the inbox). */
export type ImageSlot = SlotBase & { kind: 'image'; default?: string };
/**
 * An audio file (voice-over, music): an https/http URL or a path relative to the dataset file's folder, resolved and
 * fetched like an image. The component receives a URL to pass to `<Audio src={…} />`.
 */
export type AudioSlot = SlotBase & { kind: 'audio'; default?: string };
/** A calendar date, `YYYY-MM-DD`; the component receives the ISO string. */
export type DateSlot = SlotBase & { kind: 'date'; default?: string };
/** One value out of a fixed list. */
export type ChoiceSlot<O extends string = string> = SlotBase & { kind: 'choice'; options: readonly O[]; default?: O };

/** Clip aspect ratios a B-roll slot can ask for. */
export type ClipAspect = '16:9' | '9:16' | '1:1';

/**
 * AI-generated B-roll. The prompt is a Handlebars template over the row's fields.
 * The component receives the URL of a local clip file.
 */
export type BrollSlot = SlotBase & {
  kind: 'broll';
  /** Handlebars prompt, e.g. `"Aerial dusk footage of {{city}}"`. */
  prompt: string;
  /** Clip length in seconds. */
  seconds: number;
  /** Clip aspect; defaults to the aspect of the variant being rendered. */
  aspect?: ClipAspect;
  /** Provider id (`local`, `runway`, `luma`); defaults to `local`. */
  provider?: string;
  /** Provider model; defaults to the provider's default model. */
  model?: string;
  /** Model used by `--draft` runs. */
  draftModel?: string;
  /** Fixed seed; the same prompt and seed give the same clip. */
  seed?: number;
  /** Ordered fallbacks as `provider:model`, tried on outage or non-moderation failure. */
  fallback?: readonly string[];
  /** Provider resolution (e.g. `720p`). */
  resolution?: string;
  /**
   * Name of an `image` slot of the same template whose value (per row) is the clip's first frame:
   * image→video instead of text→video. A row whose image slot is empty falls back to text→video,
   * unless the model only makes image→video (Runway `gen4_turbo`): that row is then refused.
   * Runway receives the image inline (a data URI, at most 5 MB); Luma fetches it, so it needs an
   * https:// image URL in the row.
   */
  firstFrame?: string;
};

/** Any slot declaration. */
export type Slot = TextSlot | NumberSlot | ColorSlot | ImageSlot | AudioSlot | DateSlot | ChoiceSlot | BrollSlot;
/** The kinds of slot. */
export type SlotKind = Slot['kind'];
/** A template's slots by name. */
export type SlotMap = Readonly<Record<string, Slot>>;

type ValueOf<S extends Slot> = S extends { kind: 'number' }
  ? number
  : S extends { kind: 'choice'; options: readonly (infer O)[] }
    ? O
    : string;

type IsOptional<S extends Slot> = S extends { optional: true } ? (S extends { default: unknown } ? false : true) : false;

/**
 * The props a template component receives, derived from its slots: the single source of
 * truth, so a misspelled slot name in the component fails `tsc`.
 */
export type SlotProps<S extends SlotMap> = {
  readonly [K in keyof S as IsOptional<S[K]> extends true ? never : K]: ValueOf<S[K]>;
} & {
  readonly [K in keyof S as IsOptional<S[K]> extends true ? K : never]?: ValueOf<S[K]>;
};

/** A validated row: slot name → coerced value (B-roll slots are filled in later with clip URLs). */
export type RowValues = Readonly<Record<string, string | number | undefined>>;

/** Output size of one variant. */
export type VariantSize = { width: number; height: number };

/** Everything the component can ask about the video it is part of. */
export type VideoConfig = {
  width: number;
  height: number;
  fps: number;
  durationInFrames: number;
  /** Name of the variant being rendered (`default` when the template declares none). */
  variant: string;
};

/** What `defineTemplate` takes. */
export type TemplateOptions<S extends SlotMap> = {
  /** Folder-safe id, e.g. `welcome`. */
  id: string;
  /** Bump when the look changes on purpose; part of every output's manifest. */
  version: string;
  fps: number;
  /** Default size; used when no variants are declared. */
  width: number;
  height: number;
  /** Length in seconds, or a function of the row. */
  duration: number | ((row: SlotProps<S>) => number);
  slots: S;
  component: ComponentType<SlotProps<S>>;
  /** Named sizes; the first is rendered by default. */
  variants?: Readonly<Record<string, VariantSize>>;
  /** Slot whose value names the row (output names, journal); defaults to a hash of the row. */
  rowKey?: keyof S & string;
  /**
   * Default output file name pattern when `--name` is not given: Handlebars over the row's fields plus `{{key}}`,
   * `{{variant}}`, `{{index}}` and `{{line}}`, e.g. `'{{name}}-{{variant}}'`. Names are sanitized, kept inside the
   * output folder, and a name two rows share gets `-2`, `-3` suffixes. Default `{{key}}` (`{{key}}-{{variant}}` with variants).
   */
  outputName?: string;
  /** Human description for `reelwright templates` and the studio. */
  description?: string;
  /** Font files (paths relative to the template entry, or URLs) loaded before the first frame. */
  fonts?: readonly { family: string; src: string; weight?: string; style?: string }[];
};

/** A template after `defineTemplate`: options plus derived facts. */
export type TemplateDefinition<S extends SlotMap = SlotMap> = Readonly<
  Omit<TemplateOptions<S>, 'variants' | 'component' | 'duration'> & {
    /**
     * The component; typed from the slots for a concrete template, and loosely for the erased
     * `TemplateDefinition` that stages take, so any concrete template is assignable to it.
     */
    component: string extends keyof S ? ComponentType<any> : ComponentType<SlotProps<S>>;
    duration: string extends keyof S ? number | ((row: any) => number) : number | ((row: SlotProps<S>) => number);
    /** Variants, always at least one (`default` from width/height when none were declared). */
    variants: Readonly<Record<string, VariantSize>>;
    /** Marks the object as produced by `defineTemplate`. */
    __reelwright: 'template@1';
  }
>;
