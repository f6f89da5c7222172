import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { microphoneConstraints, resolveDevice, type KnownDevice } from './audio-devices.ts';

const devices: readonly KnownDevice[] = [
  { kind: 'audioinput', deviceId: 'default', label: 'Default' },
  { kind: 'audioinput', deviceId: 'mic-2', label: 'USB headset' },
  { kind: 'audiooutput', deviceId: 'out-1', label: 'USB headset' },
  { kind: 'audiooutput', deviceId: 'out-2', label: 'Speakers' },
];

describe('audio device choice', () => {
  it('finds a device by its id, else by its label under a new id, of the right kind', () => {
    assert.equal(resolveDevice({ deviceId: 'mic-2', label: 'x' }, devices, 'audioinput'), 'mic-2');
    assert.equal(
      resolveDevice({ deviceId: 'old-id', label: 'USB headset' }, devices, 'audiooutput'),
      'out-1',
    );
    // The same id as an output is no microphone.
    assert.equal(resolveDevice({ deviceId: 'out-2', label: '' }, devices, 'audioinput'), null);
  });

  it('means the system default for no choice and for a device not connected now', () => {
    assert.equal(resolveDevice(null, devices, 'audioinput'), null);
    assert.equal(resolveDevice({ deviceId: 'gone', label: 'Gone' }, devices, 'audioinput'), null);
    assert.deepEqual(microphoneConstraints(null), { audio: true, video: false });
    assert.deepEqual(microphoneConstraints('mic-2'), {
      audio: { deviceId: { exact: 'mic-2' } },
      video: false,
    });
  });

  it('only ever answers a listed device of the kind asked for, or null (property)', () => {
    const device = fc.record({
      kind: fc.constantFrom('audioinput' as const, 'audiooutput' as const, 'videoinput' as const),
      deviceId: fc.string({ maxLength: 6 }),
      label: fc.string({ maxLength: 6 }),
    });
    const choice = fc.option(
      fc.record({ deviceId: fc.string({ maxLength: 6 }), label: fc.string({ maxLength: 6 }) }),
      { nil: null },
    );
    fc.assert(
      fc.property(
        fc.array(device, { maxLength: 8 }),
        choice,
        fc.constantFrom('audioinput' as const, 'audiooutput' as const),
        (listed, chosen, kind) => {
          const found = resolveDevice(chosen, listed, kind);
          if (found !== null)
            assert.ok(listed.some((d) => d.kind === kind && d.deviceId === found));
        },
      ),
    );
  });
});
