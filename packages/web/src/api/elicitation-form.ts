// The MCP spec's restricted elicitation form (https://modelcontextprotocol.io/specification/draft/client/elicitation):
// a flat object whose properties are strings (length, format), numbers or integers (range), booleans, or
// single-select enums (plain, titled with `oneOf`, or the legacy `enumNames`). The admin page renders these
// fields and the host checks an answer against them with the same code.
import { z } from 'zod/mini';
import type { FormContent, FormValue } from './schemas.ts';

const common = { title: z.optional(z.string()), description: z.optional(z.string()) };

const StringField = z.object({
  type: z.literal('string'),
  ...common,
  minLength: z.optional(z.int().check(z.nonnegative())),
  maxLength: z.optional(z.int().check(z.nonnegative())),
  format: z.optional(z.enum(['email', 'uri', 'date', 'date-time'])),
  default: z.optional(z.string()),
});
const NumberField = z.object({
  type: z.enum(['number', 'integer']),
  ...common,
  minimum: z.optional(z.number()),
  maximum: z.optional(z.number()),
  default: z.optional(z.number()),
});
const BooleanField = z.object({ type: z.literal('boolean'), ...common, default: z.optional(z.boolean()) });
const EnumField = z.object({
  type: z.literal('string'),
  ...common,
  enum: z.optional(z.array(z.string()).check(z.minLength(1))),
  enumNames: z.optional(z.array(z.string())),
  oneOf: z.optional(z.array(z.object({ const: z.string(), title: z.string() })).check(z.minLength(1))),
  default: z.optional(z.string()),
});

export type FormField =
  | { kind: 'string'; name: string; label: string; description?: string; required: boolean; minLength?: number; maxLength?: number; format?: 'email' | 'uri' | 'date' | 'date-time'; default?: string }
  | { kind: 'number'; name: string; label: string; description?: string; required: boolean; integer: boolean; minimum?: number; maximum?: number; default?: number }
  | { kind: 'boolean'; name: string; label: string; description?: string; required: boolean; default?: boolean }
  | { kind: 'enum'; name: string; label: string; description?: string; required: boolean; options: Array<{ value: string; title: string }>; default?: string };

export type ParsedForm = { type: 'form'; fields: FormField[] } | { type: 'unsupported'; reason: string };

const optional = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/** Reads a `requestedSchema` into fields, or says why it is not a form this page can render. */
export function parseForm(schema: unknown): ParsedForm {
  if (typeof schema !== 'object' || schema === null) return { type: 'unsupported', reason: 'the schema is not an object' };
  const { type, properties, required } = schema as { type?: unknown; properties?: unknown; required?: unknown };
  if (type !== 'object' || typeof properties !== 'object' || properties === null) {
    return { type: 'unsupported', reason: 'the schema is not a flat object of fields' };
  }
  const requiredNames = Array.isArray(required) ? required.filter((n): n is string => typeof n === 'string') : [];
  const fields: FormField[] = [];
  for (const [name, raw] of Object.entries(properties as Record<string, unknown>)) {
    const field = parseField(name, raw, requiredNames.includes(name));
    if (!field) return { type: 'unsupported', reason: `field "${name}" is not a string, number, boolean or enum field` };
    fields.push(field);
  }
  return { type: 'form', fields };
}

function parseField(name: string, raw: unknown, required: boolean): FormField | undefined {
  const base = (title: string | undefined, description: string | undefined) =>
    optional({ name, label: title ?? name, description, required });
  const asEnum = EnumField.safeParse(raw);
  if (asEnum.success && (asEnum.data.enum || asEnum.data.oneOf)) {
    const d = asEnum.data;
    const options = d.oneOf
      ? d.oneOf.map((o) => ({ value: o.const, title: o.title }))
      : d.enum!.map((value, i) => ({ value, title: d.enumNames?.[i] ?? value }));
    return { kind: 'enum', ...base(d.title, d.description), options, ...optional({ default: d.default }) };
  }
  const asString = StringField.safeParse(raw);
  if (asString.success) {
    const { type: _t, title, description, ...rest } = asString.data;
    return { kind: 'string', ...base(title, description), ...optional(rest) };
  }
  const asNumber = NumberField.safeParse(raw);
  if (asNumber.success) {
    const { type, title, description, ...rest } = asNumber.data;
    return { kind: 'number', ...base(title, description), integer: type === 'integer', ...optional(rest) };
  }
  const asBoolean = BooleanField.safeParse(raw);
  if (asBoolean.success) {
    const { type: _t, title, description, ...rest } = asBoolean.data;
    return { kind: 'boolean', ...base(title, description), ...optional(rest) };
  }
  return undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Why one value does not fit its field, or undefined when it does. Worded for the admin. */
export function fieldProblem(field: FormField, value: FormValue | undefined): string | undefined {
  if (value === undefined || value === '') {
    return field.required && field.kind !== 'boolean' ? `${field.label} is required.` : undefined;
  }
  switch (field.kind) {
    case 'string': {
      if (typeof value !== 'string') return `${field.label} must be text.`;
      if (field.minLength !== undefined && value.length < field.minLength) return `${field.label} needs at least ${field.minLength} characters.`;
      if (field.maxLength !== undefined && value.length > field.maxLength) return `${field.label} takes at most ${field.maxLength} characters.`;
      if (field.format === 'email' && !EMAIL.test(value)) return `${field.label} must be an email address.`;
      if (field.format === 'uri' && !URL.canParse(value)) return `${field.label} must be a URL.`;
      if (field.format === 'date' && !(DATE.test(value) && !Number.isNaN(Date.parse(value)))) return `${field.label} must be a date (YYYY-MM-DD).`;
      if (field.format === 'date-time' && Number.isNaN(Date.parse(value))) return `${field.label} must be a date and time.`;
      return undefined;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${field.label} must be a number.`;
      if (field.integer && !Number.isInteger(value)) return `${field.label} must be a whole number.`;
      if (field.minimum !== undefined && value < field.minimum) return `${field.label} must be at least ${field.minimum}.`;
      if (field.maximum !== undefined && value > field.maximum) return `${field.label} must be at most ${field.maximum}.`;
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${field.label} must be yes or no.`;
    case 'enum':
      return field.options.some((o) => o.value === value) ? undefined : `${field.label} must be one of: ${field.options.map((o) => o.title).join(', ')}.`;
  }
}

/**
 * Checks an answer against the form: every problem by field name, or the content to send (fields the form does
 * not have are refused, booleans left out are sent as their default or false).
 */
export function checkContent(
  fields: FormField[],
  content: FormContent,
): { ok: true; content: FormContent } | { ok: false; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  for (const name of Object.keys(content)) {
    if (!fields.some((f) => f.name === name)) problems[name] = `The form has no field "${name}".`;
  }
  const checked: FormContent = {};
  for (const field of fields) {
    const value = content[field.name] ?? (field.kind === 'boolean' && field.required ? (field.default ?? false) : undefined);
    const problem = fieldProblem(field, value);
    if (problem) problems[field.name] = problem;
    else if (value !== undefined && value !== '') checked[field.name] = value;
  }
  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, content: checked };
}
