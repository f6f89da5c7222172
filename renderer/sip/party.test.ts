import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CallEventSchema } from '../../shared/model/call-event.ts';
import { describeParty, partyOf } from './party.ts';

describe('partyOf', () => {
  it('takes the number from the user part and the caller ID from the display name', () => {
    assert.deepEqual(partyOf('1001', 'pbx', ' Alice '), { number: '1001', callerId: 'Alice' });
    assert.deepEqual(partyOf(null, 'pbx.example', undefined), {
      number: 'pbx.example',
      callerId: '',
    });
    assert.equal(describeParty(partyOf('1001', 'pbx', 'Alice')), '1001 "Alice"');
    assert.equal(describeParty(partyOf('1001', 'pbx', '')), '1001');
  });

  it('keeps a look-alike visibly different instead of losing the call', () => {
    assert.deepEqual(partyOf('1001\u200B', 'pbx', 'Bank\u202Eknab'), {
      number: '1001\uFFFD',
      callerId: 'Bank\uFFFDknab',
    });
  });

  it('always yields what CallEventSchema accepts, whatever the far end sent', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 300 }),
        (user, name) => {
          const { number, callerId } = partyOf(user, 'pbx', name);
          const event = { kind: 'Incoming', line: 1, ref: 'x', number, callerId };
          assert.ok(CallEventSchema.safeParse(event).success, JSON.stringify(event));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
