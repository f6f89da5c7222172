import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  SettingsSchema,
  defaultSettings,
  settingsFieldErrors,
  type Settings,
} from '../../../shared/model/settings.ts';
import { describeFieldError, toFormValues, toRequest, type FormValues } from './form-values.ts';
import { fieldIds } from './section.ts';

const custom: Settings = {
  ...defaultSettings(),
  lines: 2,
  doors: {
    ...defaultSettings().doors,
    'listen-port': {
      port: 6001,
      allowFrom: ['192.168.1.20', 'fe80::1'],
      hostNames: ['reception-pc.example.local', 'reception'],
    },
  },
};

/** What the core answers for a request: SettingsSchema's own per-field errors. */
function coreErrors(request: unknown) {
  const result = SettingsSchema.safeParse(request);
  if (result.success) throw new Error('the core would have accepted this request');
  return settingsFieldErrors(result.error);
}

const withListenPort = (values: FormValues, port: Partial<FormValues['doors']['listen-port']>) => ({
  ...values,
  doors: { ...values.doors, 'listen-port': { ...values.doors['listen-port'], ...port } },
});

describe('Settings form values', () => {
  it('turn back into the very settings they came from', () => {
    for (const settings of [defaultSettings(), custom]) {
      assert.deepEqual(SettingsSchema.parse(toRequest(toFormValues(settings))), settings);
    }
  });

  it('send the current settings shape, leaving the version to the core', () => {
    const values = withListenPort(toFormValues(custom), {
      port: ' 7000 ',
      allowFrom: '10.0.0.1,\n 10.0.0.2 ;',
    });
    assert.deepEqual(toRequest({ ...values, general: { lines: 'four', defaultCountry: 'GB' } }), {
      extension: { type: 'pbx-events' },
      lines: 'four',
      defaultCountry: 'GB',
      audio: { microphone: null, speaker: null, ringer: null },
      doors: {
        ...defaultSettings().doors,
        'listen-port': {
          port: 7000,
          allowFrom: ['10.0.0.1', '10.0.0.2'],
          hostNames: ['reception-pc.example.local', 'reception'],
        },
      },
    });
  });
});

describe('describeFieldError', () => {
  it("names the field, and for lists the entry, in the core's words", () => {
    const values = withListenPort(
      { ...toFormValues(defaultSettings()), general: { lines: '99', defaultCountry: 'XX' } },
      { port: '80', allowFrom: '192.168.1.20, 10.0.0.999', hostNames: 'bad_host' },
    );
    const shown = coreErrors(toRequest(values)).map((error) => describeFieldError(error, values));
    assert.deepEqual(shown, [
      { field: 'lines', text: 'Lines must be at most 64' },
      {
        field: 'defaultCountry',
        text: 'Default country must be a country code such as GB or DE, or empty for none',
      },
      {
        field: 'doors.listen-port.port',
        text: 'Listen port must be 1024 or above (lower ports need administrator rights)',
      },
      {
        field: 'doors.listen-port.allowFrom',
        text: 'Allowed PBX addresses: “10.0.0.999” must be an IP address such as 192.168.1.20',
      },
      {
        field: 'doors.listen-port.hostNames',
        text: 'Host names for this computer: “bad_host” must be a host name or IPv4 address',
      },
    ]);
  });

  it('ties an extension type the core does not know to the type field', () => {
    const values = toFormValues(defaultSettings());
    const [error] = coreErrors({ ...toRequest(values), extension: { type: 'fax-machine' } });
    assert.ok(error);
    assert.equal(describeFieldError(error, values).field, 'extension.type');
    assert.match(describeFieldError(error, values).text, /^Extension type /);
  });

  it('keeps errors about a whole section or the whole settings apart from any field', () => {
    const values = toFormValues(defaultSettings());
    assert.deepEqual(
      describeFieldError({ field: 'doors.listen-port', message: 'Unrecognized key: "x"' }, values),
      { field: null, text: 'Listen port: Unrecognized key: "x"' },
    );
    assert.deepEqual(
      describeFieldError({ field: '(settings)', message: 'Unrecognized key: "y"' }, values),
      { field: null, text: 'Unrecognized key: "y"' },
    );
  });

  it("falls back to the core's message when the entry it names is gone", () => {
    const values = toFormValues(defaultSettings());
    assert.deepEqual(
      describeFieldError(
        { field: 'doors.listen-port.allowFrom.3', message: 'must be an IP address' },
        values,
      ),
      { field: 'doors.listen-port.allowFrom', text: 'Allowed PBX addresses must be an IP address' },
    );
  });

  it('gives each field an id that works in any selector', () => {
    assert.equal(
      fieldIds('doors.listen-port.allowFrom').input,
      'setting-doors-listen-port-allowFrom',
    );
  });
});
