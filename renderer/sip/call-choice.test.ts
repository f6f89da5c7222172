import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseCall, FITS, type CallSlot } from './call-choice.ts';

const ringing: CallSlot = { line: 2, phase: 'ringing', direction: 'inbound' };
const talking: CallSlot = { line: 1, phase: 'established', direction: 'outbound' };
const held: CallSlot = { line: 3, phase: 'held', direction: 'inbound' };
const calls = [talking, ringing, held];

describe('chooseCall', () => {
  it('takes the call on the line a command names, whatever its phase', () => {
    assert.equal(chooseCall(calls, 1, 2, FITS.hold), ringing);
    assert.equal(chooseCall(calls, 1, 4, FITS.hold), null);
  });

  it('takes the selected line’s call when it fits', () => {
    assert.equal(chooseCall(calls, 3, undefined, FITS.retrieve), held);
    assert.equal(chooseCall(calls, 1, undefined, FITS.drop), talking);
  });

  it('finds the call that fits when the selected line’s does not', () => {
    // Answer while talking on the selected line 1: the ringing call on line 2.
    assert.equal(chooseCall(calls, 1, undefined, FITS.answer), ringing);
    assert.equal(chooseCall(calls, 2, undefined, FITS.retrieve), held);
    // Drop with the held call selected ends the one being heard, not the held one.
    assert.equal(chooseCall([talking, held], 3, undefined, FITS.drop), talking);
  });

  it('falls back to the only call there is, and otherwise to nothing', () => {
    assert.equal(chooseCall([held], 1, undefined, FITS.hold), held);
    assert.equal(chooseCall([held, { ...held, line: 4 }], 1, undefined, FITS.answer), null);
    assert.equal(chooseCall([], 1, undefined, FITS.drop), null);
  });
});
