// Pure helpers between a parsed elicitation form and the admin: limits in words, what an input's state means
// as a form value, and an answer's content in the form's own words. No DOM, so they are unit-tested.
import { parseForm, type FormField } from '../../src/api/elicitation-form.ts';
import type { FormContent, FormValue } from '../../src/api/schemas.ts';

/** A field's limits in words, shown with its description ("At most 500 characters."). */
export function limitsHint(field: FormField): string | undefined {
  if (field.kind === 'string') {
    const { minLength: min, maxLength: max } = field;
    if (min !== undefined && max !== undefined) return `${min} to ${max} characters.`;
    if (max !== undefined) return `At most ${max} characters.`;
    if (min !== undefined && min > 0) return `At least ${min} characters.`;
    return undefined;
  }
  if (field.kind === 'number') {
    const kind = field.integer ? 'A whole number' : 'A number';
    const { minimum: min, maximum: max } = field;
    if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}.`;
    if (min !== undefined) return `${kind}, at least ${min}.`;
    if (max !== undefined) return `${kind}, at most ${max}.`;
    return field.integer ? `${kind}.` : undefined;
  }
  return undefined;
}

/** What one control currently holds, as the browser reports it. */
export interface InputState {
  /** The control's value (text inputs, textareas, selects, number inputs). */
  text?: string;
  /** A checkbox's state. */
  checked?: boolean;
  /** A number input holding something that is not a number (its `value` is then ""). */
  badInput?: boolean;
}

/** The form value a control's state stands for; undefined when the admin left it empty. */
export function valueFromInput(field: FormField, state: InputState): FormValue | undefined {
  switch (field.kind) {
    case 'boolean':
      return state.checked ?? false;
    case 'number': {
      if (state.badInput) return Number.NaN;
      const text = state.text?.trim() ?? '';
      return text === '' ? undefined : Number(text);
    }
    case 'enum':
      return state.text ? state.text : undefined;
    case 'string': {
      const text = state.text?.trim() ?? '';
      if (text === '') return undefined;
      return field.format === 'date-time' ? fromDateTimeLocal(text) : text;
    }
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An RFC 3339 time as a `datetime-local` input value in the browser's time zone ("" when unreadable). */
export function toDateTimeLocal(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A `datetime-local` value (local time, no offset) as RFC 3339 in UTC, which the JSON Schema `date-time` format
 * asks for. Unreadable text is returned as is, so the field check reports it.
 */
export function fromDateTimeLocal(local: string): string {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}

/** One value in words, with the field's titles: Yes/No, an option's title, a time in words, text as is. */
export function displayValue(field: FormField | undefined, value: FormValue): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (field?.kind === 'enum') return field.options.find((o) => o.value === value)?.title ?? String(value);
  if (field?.kind === 'string' && field.format === 'date-time' && typeof value === 'string') {
    const d = new Date(value);
    if (!Number.isNaN(d.getTime())) return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }
  return String(value);
}

/** An answer's content as "label: value" lines in the form's order; names the form lacks come last, as sent. */
export function answerLines(requestedSchema: unknown, content: FormContent): Array<{ label: string; value: string }> {
  const form = parseForm(requestedSchema);
  const fields = form.type === 'form' ? form.fields : [];
  const known = fields.filter((f) => f.name in content);
  const unknown = Object.keys(content).filter((name) => !fields.some((f) => f.name === name));
  return [
    ...known.map((field) => ({ label: field.label, value: displayValue(field, content[field.name]!) })),
    ...unknown.map((name) => ({ label: name, value: displayValue(undefined, content[name]!) })),
  ];
}
