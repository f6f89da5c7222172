import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  INTEGRA_EVENT_NAMES,
  parseTemplate,
  type IntegraValues,
  type Template,
  type TemplateError,
  type TemplateErrorCode,
} from './integra.ts';

/** Helpers shared by the Integra tests, here and in electron/core/doors/integra/. */

export function template(text: string): Template {
  const result = parseTemplate(text);
  assert.ok(result.ok, `expected ${JSON.stringify(text)} to parse: ${JSON.stringify(result)}`);
  return result.value;
}

export function refusedTemplate(text: string, code: TemplateErrorCode): TemplateError {
  const result = parseTemplate(text);
  assert.ok(!result.ok, `expected ${code} for ${JSON.stringify(text)}: ${JSON.stringify(result)}`);
  assert.equal(result.error.code, code, JSON.stringify(result.error));
  return result.error;
}

/** The document's incoming call from 026161616, with the other fields filled in. */
export const values = (overrides: Partial<IntegraValues> = {}): IntegraValues => ({
  ownNumber: '201',
  remoteNumber: '026161616',
  action: 'CALL_IN',
  ownDirectNumber: '0230303030',
  time: '25/12/2024_09.05.03',
  callId: 'c-4711',
  originalCallingNumber: '026161616',
  originalCalledNumber: '0230303000',
  extId: 'order-12',
  ...overrides,
});

/** Caller IDs that would be code in some shell, and text that looks like a placeholder. */
export const HOSTILE_VALUES = [
  '"; rm -rf ~ #',
  '$(reboot)',
  '`reboot`',
  "'; reboot; '",
  '& del /q *',
  '| shutdown /s',
  '%PATH%',
  '%',
  '^"',
  '\\"',
  '"',
  ' ',
  '  leading and trailing  ',
  'line\nbreak',
  'carriage\r\nreturn',
  '\t',
  '!01',
  '! 02',
  '!00!01!02',
  '${HOME}',
  '> /tmp/x',
  '*',
  '--help',
  '-rf',
  '',
  'Müller 😀',
];

/** What a caller could send: anything, weighted towards shell syntax and fake placeholders. */
const anyValue = fc.oneof(
  fc.constantFrom(...HOSTILE_VALUES),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(fc.constantFrom(...HOSTILE_VALUES, '!0', '1', '"', '\\', ' '), { maxLength: 6 })
    .map((parts) => parts.join('')),
);

export const anyValues: fc.Arbitrary<IntegraValues> = fc.record({
  ownNumber: anyValue,
  remoteNumber: anyValue,
  action: fc.constantFrom(...INTEGRA_EVENT_NAMES),
  ownDirectNumber: anyValue,
  time: anyValue,
  callId: anyValue,
  originalCallingNumber: anyValue,
  originalCalledNumber: anyValue,
  extId: anyValue,
});
