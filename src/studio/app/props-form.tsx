import type { Slot, SlotMap } from '../../template/index.js';
import type { StudioProblem } from '../types.js';

/** Props of `PropsForm`. */
export type PropsFormProps = {
  slots: SlotMap;
  /** Slot → cell text. */
  cells: Readonly<Record<string, string>>;
  /** Problems of the current cells (server-side validation, the CLI's rules). */
  problems: readonly StudioProblem[];
  /** Slot → URL the preview loads for image slots (for the thumbnail). */
  imageUrls: Readonly<Record<string, string>>;
  onChange: (slot: string, value: string) => void;
};

type DataSlot = Exclude<Slot, { kind: 'broll' }>;

function isRequired(slot: DataSlot): boolean {
  return !slot.optional && slot.default === undefined;
}

function codePoints(text: string): number {
  return Array.from(text).length;
}

/** `#abc` → `#aabbcc` for the colour picker, which only takes the long form. */
function pickerColor(text: string): string {
  const value = text.trim();
  if (/^#[0-9a-fA-F]{6}$/.test(value)) return value.toLowerCase();
  const short = /^#([0-9a-fA-F])([0-9a-fA-F])([0-9a-fA-F])$/.exec(value);
  return short ? `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase() : '#000000';
}

/** True for `YYYY-MM-DD` naming a day that exists (what a date picker can show). */
function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

function placeholderOf(slot: DataSlot): string {
  if (slot.default !== undefined) return `default: ${String(slot.default)}`;
  switch (slot.kind) {
    case 'number':
      return [slot.min !== undefined ? `≥ ${slot.min}` : '', slot.max !== undefined ? `≤ ${slot.max}` : ''].filter(Boolean).join(', ') || 'a number';
    case 'date':
      return 'YYYY-MM-DD';
    case 'image':
      return 'images/logo.png or https://…';
    case 'audio':
      return 'audio/voice.m4a or https://…';
    case 'color':
      return '#4f46e5';
    default:
      return slot.optional ? 'optional' : '';
  }
}

/** One input, chosen by the slot's kind. */
function FieldInput({ name, slot, value, invalid, imageUrl, onChange }: { name: string; slot: DataSlot; value: string; invalid: boolean; imageUrl: string | null; onChange: (value: string) => void }) {
  const common = {
    id: `field-${name}`,
    name,
    'data-slot': name,
    'aria-invalid': invalid,
    className: `input${invalid ? ' invalid' : ''}`,
    placeholder: placeholderOf(slot),
    value,
    onChange: (event: { target: { value: string } }) => onChange(event.target.value),
  };
  switch (slot.kind) {
    case 'text':
      return slot.maxLength !== undefined && slot.maxLength > 80 ? <textarea {...common} rows={3} style={{ height: 'auto', padding: 8 }} /> : <input {...common} type="text" />;
    case 'number':
      // Text, not type=number: the user must be able to type "12,50" and read why it is refused.
      return <input {...common} type="text" inputMode="decimal" />;
    case 'color':
      return (
        <div className="color-row">
          <input className="color-swatch" type="color" aria-label={`${name} colour picker`} value={pickerColor(value || String(slot.default ?? ''))} onChange={(event) => onChange(event.target.value)} />
          <input {...common} type="text" />
        </div>
      );
    case 'image':
      return (
        <div className="image-row">
          {imageUrl ? <img className="image-thumb" src={imageUrl} alt="" /> : <span className="image-thumb" />}
          <input {...common} type="text" />
        </div>
      );
    case 'audio':
      // A path or URL; the preview is silent, so there is nothing to show next to it.
      return <input {...common} type="text" />;
    case 'date':
      // A date picker cannot show "2025-02-30" or "02/03/2026": such values stay visible as text, with their problem.
      return isRealDate(value) || value === '' ? <input {...common} type="date" /> : <input {...common} type="text" />;
    case 'choice': {
      const known = slot.options.some((option) => option.toLowerCase() === value.trim().toLowerCase());
      return (
        <select {...common} className={`select${invalid ? ' invalid' : ''}`}>
          <option value="">{slot.default !== undefined ? `(default: ${slot.default})` : slot.optional ? '(none)' : '(choose)'}</option>
          {slot.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
          {!known && value.trim() !== '' ? <option value={value}>{`${value} (not an option)`}</option> : null}
        </select>
      );
    }
  }
}

/**
 * The row form, generated from the template's slots: text with a length counter, number, colour picker, image
 * (URL or path, with a thumbnail), audio (URL or path), date and choice. Values stay text; the server validates them with the CLI's
 * rules and its problems show under each field.
 */
export function PropsForm({ slots, cells, problems, imageUrls, onChange }: PropsFormProps) {
  const entries = Object.entries(slots).filter((entry): entry is [string, DataSlot] => entry[1].kind !== 'broll');
  // Problems of a B-roll slot (its prompt, model or first frame) or of the whole row have no field to sit under.
  const fields = new Set(entries.map(([name]) => name));
  const general = problems.filter((problem) => problem.slot === null || !fields.has(problem.slot));
  const generalList =
    general.length > 0 ? (
      <div className="notice bad" role="alert" data-testid="row-plan-problems">
        {general.map((problem, index) => (
          <div key={index}>{problem.slot === null ? problem.message : `${slots[problem.slot]?.label ?? problem.slot}: ${problem.message}`}</div>
        ))}
      </div>
    ) : null;
  if (entries.length === 0) {
    return (
      <>
        {generalList}
        <div className="empty-state">This template has no data slots.</div>
      </>
    );
  }
  return (
    <form className="props-form" data-testid="props-form" onSubmit={(event) => event.preventDefault()} noValidate>
      {generalList}
      {entries.map(([name, slot]) => {
        const value = cells[name] ?? '';
        const mine = problems.filter((problem) => problem.slot === name);
        const max = slot.kind === 'text' ? slot.maxLength : undefined;
        const length = codePoints(value.trim());
        return (
          <div className="form-field" key={name}>
            <label htmlFor={`field-${name}`}>
              <span>
                {slot.label ?? name}
                {isRequired(slot) ? <span className="required" title="required">*</span> : null}
              </span>
              {slot.kind === 'text' ? (
                <span className={`counter${max !== undefined && length > max ? ' over' : ''}`} data-testid={`counter-${name}`}>
                  {max !== undefined ? `${length} / ${max}` : `${length}`}
                </span>
              ) : (
                <span className="kind">{slot.kind}</span>
              )}
            </label>
            <FieldInput name={name} slot={slot} value={value} invalid={mine.length > 0} imageUrl={imageUrls[name] ?? null} onChange={(next) => onChange(name, next)} />
            {slot.description ? <div className="help">{slot.description}</div> : null}
            {mine.map((problem, index) => (
              <div className="problem" key={index} role="alert">
                {problem.message}
              </div>
            ))}
          </div>
        );
      })}
    </form>
  );
}
