import { describe, expect, it } from 'vitest';
import type { FormField } from '../../src/api/elicitation-form.ts';
import { answerLines, displayValue, fromDateTimeLocal, limitsHint, toDateTimeLocal, valueFromInput } from './form-values.ts';

const note: FormField = { kind: 'string', name: 'note', label: 'Note', required: false, maxLength: 500 };
const count: FormField = { kind: 'number', name: 'count', label: 'Count', required: true, integer: true, minimum: 1, maximum: 9 };
const ok: FormField = { kind: 'boolean', name: 'ok', label: 'Confirm', required: true, default: false };
const size: FormField = {
  kind: 'enum',
  name: 'size',
  label: 'Size',
  required: true,
  options: [
    { value: 's', title: 'Small' },
    { value: 'l', title: 'Large' },
  ],
};
const when: FormField = { kind: 'string', name: 'when', label: 'When', required: false, format: 'date-time' };

describe('limitsHint', () => {
  it('puts string and number limits in words', () => {
    expect(limitsHint(note)).toBe('At most 500 characters.');
    expect(limitsHint({ ...note, minLength: 2 })).toBe('2 to 500 characters.');
    expect(limitsHint({ kind: 'string', name: 'a', label: 'A', required: true, minLength: 3 })).toBe('At least 3 characters.');
    expect(limitsHint(count)).toBe('A whole number from 1 to 9.');
    expect(limitsHint({ kind: 'number', name: 'p', label: 'P', required: false, integer: false, minimum: 0 })).toBe('A number, at least 0.');
  });
  it('says nothing when there is nothing to say', () => {
    expect(limitsHint({ kind: 'string', name: 'a', label: 'A', required: false })).toBeUndefined();
    expect(limitsHint({ kind: 'number', name: 'p', label: 'P', required: false, integer: false })).toBeUndefined();
    expect(limitsHint(ok)).toBeUndefined();
    expect(limitsHint(size)).toBeUndefined();
  });
});

describe('valueFromInput', () => {
  it('reads each kind of control', () => {
    expect(valueFromInput(note, { text: '  kept  ' })).toBe('kept');
    expect(valueFromInput(note, { text: '   ' })).toBeUndefined();
    expect(valueFromInput(count, { text: '4' })).toBe(4);
    expect(valueFromInput(count, { text: '' })).toBeUndefined();
    expect(valueFromInput(count, { text: '', badInput: true })).toBeNaN();
    expect(valueFromInput(ok, { checked: true })).toBe(true);
    expect(valueFromInput(ok, {})).toBe(false);
    expect(valueFromInput(size, { text: 'l' })).toBe('l');
    expect(valueFromInput(size, { text: '' })).toBeUndefined();
  });
  it('sends a local date and time as RFC 3339 and keeps unreadable text for the check to report', () => {
    const iso = valueFromInput(when, { text: '2026-03-04T05:06' });
    expect(iso).toBe(new Date('2026-03-04T05:06').toISOString());
    expect(valueFromInput(when, { text: 'tomorrow' })).toBe('tomorrow');
  });
});

describe('date-time inputs', () => {
  it('round-trips a minute-precise time through the datetime-local value', () => {
    const iso = '2026-07-28T09:45:00.000Z';
    expect(toDateTimeLocal(iso)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(fromDateTimeLocal(toDateTimeLocal(iso))).toBe(iso);
    expect(toDateTimeLocal('never')).toBe('');
  });
});

describe('answerLines', () => {
  const schema = {
    type: 'object',
    properties: {
      approve: { type: 'boolean', title: 'Approve it' },
      size: { type: 'string', title: 'Size', oneOf: [{ const: 's', title: 'Small' }] },
      note: { type: 'string', title: 'Note', maxLength: 10 },
    },
  };
  it('uses the form titles and order, words for booleans and options', () => {
    expect(answerLines(schema, { note: 'ok', approve: true, size: 's' })).toEqual([
      { label: 'Approve it', value: 'Yes' },
      { label: 'Size', value: 'Small' },
      { label: 'Note', value: 'ok' },
    ]);
    expect(displayValue(ok, false)).toBe('No');
  });
  it('still shows content the form does not describe, by name', () => {
    expect(answerLines({ nonsense: true }, { extra: 3 })).toEqual([{ label: 'extra', value: '3' }]);
    expect(answerLines(schema, { approve: false, other: 'x' })).toEqual([
      { label: 'Approve it', value: 'No' },
      { label: 'other', value: 'x' },
    ]);
  });
});
