// The fields of an elicitation form, rendered from its parsed `requestedSchema`: one labelled control per field,
// checked with the shared `fieldProblem` before anything is sent. Nothing here knows which tool asked.
import { checkContent, fieldProblem, type FormField } from '../../src/api/elicitation-form.ts';
import type { FormContent, FormValue } from '../../src/api/schemas.ts';
import { h } from '../lib/dom.ts';
import { limitsHint, toDateTimeLocal, valueFromInput } from './form-values.ts';

/** Plain strings allowed to be longer than this get a multi-line box. */
const MULTILINE_OVER = 200;

const INPUT_TYPE = { email: 'email', uri: 'url', date: 'date', 'date-time': 'datetime-local' } as const;

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

interface RenderedField {
  field: FormField;
  control: Control;
  error: HTMLElement;
  read(): FormValue | undefined;
}

export interface FormFields {
  /** The fields, in the schema's order. */
  element: HTMLElement;
  /**
   * Checks every field, shows each problem beside its field and focuses the first one; returns the content to
   * send (normalized by `checkContent`), or undefined when something does not fit.
   */
  collect(): FormContent | undefined;
  setBusy(busy: boolean): void;
}

/** Renders `fields`; `idPrefix` keeps element ids unique on a page with several forms. */
export function renderFormFields(fields: FormField[], idPrefix: string): FormFields {
  const rendered = fields.map((field, index) => renderField(field, `${idPrefix}-f${index}`));
  const element = h('div', { class: 'form-fields' }, rendered.map((r) => r.wrapper));

  const show = (r: RenderedField, problem: string | undefined) => {
    r.error.textContent = problem ?? '';
    r.error.hidden = !problem;
    if (problem) r.control.setAttribute('aria-invalid', 'true');
    else r.control.removeAttribute('aria-invalid');
  };
  for (const r of rendered) {
    // Once a field was flagged, its message follows what the admin types, so it disappears when fixed.
    const recheck = () => {
      if (r.control.getAttribute('aria-invalid') === 'true') show(r, fieldProblem(r.field, r.read()));
    };
    r.control.addEventListener('input', recheck);
    r.control.addEventListener('change', recheck);
  }

  return {
    element,
    collect() {
      const content: FormContent = {};
      let first: RenderedField | undefined;
      for (const r of rendered) {
        const value = r.read();
        const problem = fieldProblem(r.field, value);
        show(r, problem);
        if (problem) first ??= r;
        if (value !== undefined) content[r.field.name] = value;
      }
      if (first) {
        first.control.focus();
        return undefined;
      }
      const checked = checkContent(fields, content);
      if (checked.ok) return checked.content;
      // Not expected (each field passed above), but never send what the shared check refuses.
      const name = Object.keys(checked.problems)[0];
      const r = rendered.find((x) => x.field.name === name) ?? rendered[0];
      if (r) {
        show(r, checked.problems[r.field.name] ?? Object.values(checked.problems)[0]);
        r.control.focus();
      }
      return undefined;
    },
    setBusy(busy) {
      for (const { control } of rendered) {
        // Text keeps focus and selection while read-only; a checkbox or select cannot be read-only.
        if (control instanceof HTMLSelectElement || (control instanceof HTMLInputElement && control.type === 'checkbox')) control.disabled = busy;
        else control.readOnly = busy;
      }
    },
  };
}

function renderField(field: FormField, id: string): RenderedField & { wrapper: HTMLElement } {
  const hintText = [field.description?.trim(), limitsHint(field)].filter(Boolean).join(' ');
  const hint = hintText ? h('span', { id: `${id}-hint`, class: 'field-hint' }, hintText) : null;
  const error = h('p', { id: `${id}-error`, class: 'field-error', hidden: true });
  const counter = field.kind === 'string' && field.maxLength !== undefined ? h('span', { id: `${id}-count`, class: 'field-count' }) : null;
  const describedBy = [hint && `${id}-hint`, counter && `${id}-count`, `${id}-error`].filter(Boolean).join(' ');
  const { control, read } = createControl(field, id, describedBy);

  if (field.kind === 'boolean') {
    // A required yes/no only has to be answered, and a checkbox always is: no "(required)" mark, which would
    // read as "must be ticked".
    const wrapper = h(
      'div',
      { class: 'field field-check', 'data-field': field.name },
      h('div', { class: 'check-row' }, control, h('label', { for: id }, field.label)),
      hint,
      error,
    );
    return { field, control, error, read, wrapper };
  }

  const mark = field.required
    ? h('span', { class: 'required' }, '(required)')
    : h('span', { class: 'optional' }, '(optional)');
  if (counter && field.kind === 'string' && field.maxLength !== undefined) {
    const max = field.maxLength;
    const update = () => {
      const used = control.value.length;
      counter.textContent = used > max ? `${used - max} ${used - max === 1 ? 'character' : 'characters'} too many` : `${used} / ${max}`;
      counter.classList.toggle('over', used > max);
    };
    control.addEventListener('input', update);
    update();
  }
  const wrapper = h(
    'div',
    { class: 'field', 'data-field': field.name },
    h('label', { for: id }, `${field.label} `, mark),
    hint,
    control,
    counter,
    error,
  );
  return { field, control, error, read, wrapper };
}

function createControl(field: FormField, id: string, describedBy: string): { control: Control; read: () => FormValue | undefined } {
  const common = { id, name: field.name, 'aria-describedby': describedBy };
  const required = field.required && field.kind !== 'boolean' ? { 'aria-required': 'true' } : {};

  switch (field.kind) {
    case 'boolean': {
      const input = h('input', { ...common, type: 'checkbox' });
      input.checked = field.default ?? false;
      return { control: input, read: () => valueFromInput(field, { checked: input.checked }) };
    }
    case 'enum': {
      const select = h(
        'select',
        { ...common, ...required },
        field.required && field.default !== undefined ? null : h('option', { value: '' }, field.required ? 'Choose…' : '(none)'),
        field.options.map((o) => h('option', { value: o.value }, o.title)),
      );
      select.value = field.default ?? '';
      return { control: select, read: () => valueFromInput(field, { text: select.value }) };
    }
    case 'number': {
      const input = h('input', {
        ...common,
        ...required,
        type: 'number',
        inputmode: field.integer ? 'numeric' : 'decimal',
        step: field.integer ? '1' : 'any',
        min: field.minimum,
        max: field.maximum,
      });
      if (field.default !== undefined) input.value = String(field.default);
      return { control: input, read: () => valueFromInput(field, { text: input.value, badInput: input.validity.badInput }) };
    }
    case 'string': {
      const limits = { minlength: field.minLength };
      if (!field.format && field.maxLength !== undefined && field.maxLength > MULTILINE_OVER) {
        const area = h('textarea', { ...common, ...required, ...limits, rows: 2 });
        area.value = field.default ?? '';
        return { control: area, read: () => valueFromInput(field, { text: area.value }) };
      }
      const type = field.format ? INPUT_TYPE[field.format] : 'text';
      const input = h('input', { ...common, ...required, ...limits, type, spellcheck: type === 'text' ? null : 'false' });
      input.value = field.format === 'date-time' && field.default ? toDateTimeLocal(field.default) : (field.default ?? '');
      return { control: input, read: () => valueFromInput(field, { text: input.value }) };
    }
  }
}
