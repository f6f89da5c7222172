import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CallEventSchema } from '../../shared/model/call-event.ts';
import { endDetail, endLogLine, terminationReason, type SessionEnd } from './call-end.ts';
import { registrationVerdict, socketDropReason, statusWords } from './reason.ts';

const WITH_HA1 = { realm: 'asterisk', hasHa1: true };
const answer = (status: number, reasonPhrase: string, challenge: string | null = null) => ({
  answer: { status, reasonPhrase, challenge },
  cause: 'SIP Failure Code',
});
const reasonOf = (verdict: ReturnType<typeof registrationVerdict>): string =>
  verdict.kind === 'failed' ? verdict.reason : `realm ${verdict.realm}`;

describe('registration failures in a person’s words', () => {
  it('names the usual ones as a person would', () => {
    assert.equal(
      reasonOf(registrationVerdict(answer(403, 'Forbidden'), WITH_HA1)),
      '403 wrong user name or password',
    );
    assert.equal(
      reasonOf(registrationVerdict(answer(404, 'Not Found'), WITH_HA1)),
      '404 unknown user',
    );
    assert.equal(
      reasonOf(registrationVerdict({ answer: null, cause: 'Connection Error' }, WITH_HA1)),
      'server unreachable',
    );
    assert.equal(
      reasonOf(registrationVerdict({ answer: null, cause: 'Request Timeout' }, WITH_HA1)),
      'the server did not answer in time',
    );
  });

  it('gives the code and the registrar’s phrase for the rest', () => {
    assert.equal(
      reasonOf(registrationVerdict(answer(488, 'Not Acceptable Here'), WITH_HA1)),
      '488 Not Acceptable Here',
    );
    assert.equal(reasonOf(registrationVerdict(answer(499, '   '), WITH_HA1)), '499');
    // A phrase is the registrar's to choose: it may not break a log line.
    assert.equal(
      reasonOf(registrationVerdict(answer(500, 'Oops\r\nX-Evil: 1'), WITH_HA1)),
      '500 Oops\uFFFD\uFFFDX-Evil: 1',
    );
  });

  it('retries what means "not now", and only that', () => {
    const retries = (status: number) => {
      const verdict = registrationVerdict(answer(status, 'x'), WITH_HA1);
      return verdict.kind === 'failed' && verdict.retry;
    };
    assert.deepEqual([408, 480, 500, 503, 504].map(retries), [true, true, true, true, true]);
    assert.deepEqual([403, 404, 488, 606].map(retries), [false, false, false, false]);
  });

  it('asks the core for the realm when the registrar names another one', () => {
    const challenge = 'Digest realm="pbx.example", nonce="n"';
    assert.deepEqual(
      registrationVerdict(answer(401, 'Unauthorized', challenge), { realm: null, hasHa1: false }),
      {
        kind: 'realm',
        realm: 'pbx.example',
      },
    );
    assert.deepEqual(
      registrationVerdict(answer(407, 'Proxy Authentication Required', challenge), WITH_HA1),
      {
        kind: 'realm',
        realm: 'pbx.example',
      },
    );
  });

  it('tells a wrong password from a missing one once the realm is right', () => {
    const challenge = 'Digest realm="asterisk", nonce="n"';
    assert.equal(
      reasonOf(registrationVerdict(answer(401, 'Unauthorized', challenge), WITH_HA1)),
      '401 wrong user name or password',
    );
    assert.equal(
      reasonOf(
        registrationVerdict(answer(401, 'Unauthorized', challenge), {
          realm: 'asterisk',
          hasHa1: false,
        }),
      ),
      '401 no password is set for this account',
    );
  });

  it('says so when the challenge cannot be answered at all', () => {
    const sha = 'Digest realm="asterisk", nonce="n", algorithm=SHA-256';
    assert.equal(
      reasonOf(registrationVerdict(answer(401, 'Unauthorized', sha), WITH_HA1)),
      '401 the server asks for SHA-256 digest, which is not supported',
    );
    assert.equal(
      reasonOf(registrationVerdict(answer(401, 'Unauthorized', null), WITH_HA1)),
      "401 the server's challenge could not be read",
    );
  });

  it('never throws, and always says something', () => {
    const failure = fc.record({
      answer: fc.option(
        fc.record({
          status: fc.integer({ min: 100, max: 699 }),
          reasonPhrase: fc.string({ unit: 'binary', maxLength: 200 }),
          challenge: fc.option(fc.string({ unit: 'binary', maxLength: 200 })),
        }),
      ),
      cause: fc.string(),
    });
    const credentials = fc.record({ realm: fc.option(fc.string()), hasHa1: fc.boolean() });
    fc.assert(
      fc.property(failure, credentials, (input, known) => {
        const verdict = registrationVerdict(input, known);
        if (verdict.kind === 'failed') {
          assert.ok(verdict.reason.length > 0 && verdict.reason.length <= 256);
          assert.doesNotMatch(verdict.reason, /[\r\n]/);
        } else {
          assert.ok(verdict.realm.length > 0);
        }
      }),
    );
  });
});

describe('a dropped WebSocket', () => {
  it('is unreachable, or perhaps a refused certificate on a first wss:// try', () => {
    assert.equal(
      socketDropReason({ secure: false, everConnected: false, code: 1006 }),
      'server unreachable',
    );
    assert.equal(
      socketDropReason({ secure: true, everConnected: false, code: 1006 }),
      'server unreachable or TLS certificate refused',
    );
    assert.equal(
      socketDropReason({ secure: true, everConnected: true, code: 1006 }),
      'server unreachable',
    );
    assert.equal(
      socketDropReason({ secure: true, everConnected: false, code: 1015 }),
      'TLS certificate refused',
    );
  });
});

describe('how a call ended', () => {
  const end = (over: Partial<SessionEnd>): SessionEnd => ({
    kind: 'failed',
    originator: 'remote',
    cause: 'Terminated',
    response: null,
    ...over,
  });
  const plain = { transferred: false, transferring: false, diverted: false, refusedWith: null };

  it('maps JsSIP’s causes to the Terminated reasons', () => {
    assert.equal(terminationReason(end({ kind: 'ended' }), plain), 'hangup');
    assert.equal(terminationReason(end({ cause: 'Canceled' }), plain), 'hangup');
    assert.equal(terminationReason(end({ cause: 'No Answer' }), plain), 'hangup');
    assert.equal(terminationReason(end({ cause: 'Busy' }), plain), 'rejected');
    assert.equal(
      terminationReason(end({ cause: 'Rejected', originator: 'local' }), plain),
      'rejected',
    );
    assert.equal(terminationReason(end({ cause: 'Not Found' }), plain), 'failed');
    assert.equal(terminationReason(end({ cause: 'User Denied Media Access' }), plain), 'failed');
    assert.equal(
      terminationReason(end({ kind: 'ended' }), { ...plain, transferred: true }),
      'transferred',
    );
    assert.equal(
      terminationReason(end({ cause: 'Rejected' }), { ...plain, diverted: true }),
      'diverted',
    );
  });

  it('writes the integration log line', () => {
    const busy = end({ cause: 'Busy', response: { status: 486, reasonPhrase: 'Busy Here' } });
    assert.deepEqual(endLogLine(busy, 'outbound', '1002', plain), {
      direction: 'in',
      summary: '486 Busy Here from 1002',
      error: '486 Busy Here',
    });
    assert.equal(
      endLogLine(end({ kind: 'ended' }), 'inbound', '1001', plain).summary,
      'BYE from 1001',
    );
    assert.equal(
      endLogLine(end({ kind: 'ended', originator: 'local' }), 'inbound', '1001', plain).summary,
      'BYE to 1001',
    );
    assert.equal(
      endLogLine(end({ cause: 'Canceled' }), 'inbound', '1001', plain).summary,
      'CANCEL from 1001',
    );
    assert.equal(
      endLogLine(end({ cause: 'Canceled', originator: 'local' }), 'outbound', '1002', plain)
        .summary,
      'CANCEL to 1002',
    );
    const refused = end({ cause: 'Rejected', originator: 'local' });
    assert.equal(
      endLogLine(refused, 'inbound', '1001', { ...plain, refusedWith: '486 Busy Here' }).summary,
      '486 Busy Here to 1001',
    );
    assert.equal(
      endLogLine(refused, 'inbound', '1001', plain).summary,
      '480 Temporarily Unavailable to 1001',
    );
    assert.deepEqual(
      endLogLine(
        end({ cause: 'User Denied Media Access', originator: 'local' }),
        'outbound',
        '1002',
        plain,
      ),
      {
        direction: 'out',
        summary: 'call to 1002 failed: microphone access refused',
        error: 'microphone access refused',
      },
    );
  });

  it('says how it ended in the history’s words', () => {
    const busy = end({ cause: 'Busy', response: { status: 486, reasonPhrase: 'Busy Here' } });
    assert.equal(endDetail(busy, 'outbound', plain), '486 Busy Here');
    assert.equal(endDetail(end({ kind: 'ended' }), 'inbound', plain), 'hung up by the far end');
    assert.equal(
      endDetail(end({ kind: 'ended', originator: 'local' }), 'outbound', plain),
      'hung up here',
    );
    assert.equal(
      endDetail(end({ cause: 'Canceled' }), 'inbound', plain),
      'the caller hung up first',
    );
    assert.equal(endDetail(end({ cause: 'No Answer' }), 'outbound', plain), 'not answered in time');
    assert.equal(
      endDetail(end({ cause: 'Rejected', originator: 'local' }), 'inbound', {
        ...plain,
        refusedWith: '486 Busy Here',
      }),
      'refused here (486 Busy Here)',
    );
    assert.equal(
      endDetail(end({ kind: 'ended' }), 'inbound', { ...plain, transferred: true }),
      'transferred',
    );
  });

  it('never reads a cause named like an Object method as a known one', () => {
    assert.equal(endDetail(end({ cause: 'toString' }), 'inbound', plain), 'toString');
    assert.equal(
      endLogLine(end({ cause: 'constructor' }), 'inbound', '1001', plain).error,
      'constructor',
    );
  });

  it('always gives a detail the Terminated event accepts, whatever the far end sent', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ended' as const, 'failed' as const),
        fc.string({ maxLength: 300 }),
        fc.option(
          fc.record({ status: fc.integer({ min: 100, max: 699 }), reasonPhrase: fc.string() }),
        ),
        (kind, cause, response) => {
          const detail = endDetail(end({ kind, cause, response }), 'inbound', plain);
          const event = { kind: 'Terminated', line: 1, detail };
          assert.ok(CallEventSchema.safeParse(event).success, JSON.stringify(detail));
        },
      ),
    );
  });

  it('blames the answer, not its 200, when JsSIP could not use the SDP of a 200 OK', () => {
    const unusable = end({
      originator: 'remote',
      cause: 'Bad Media Description',
      response: { status: 200, reasonPhrase: 'OK' },
    });
    assert.deepEqual(endLogLine(unusable, 'outbound', '1003', plain), {
      direction: 'in',
      summary: 'call to 1003 failed: the far end sent unusable media parameters',
      error: 'the far end sent unusable media parameters',
    });
    assert.equal(terminationReason(unusable, plain), 'failed');
    assert.equal(
      endDetail(unusable, 'outbound', plain),
      'the far end sent unusable media parameters',
    );
  });

  it('keeps a far end’s reason phrase to one line', () => {
    assert.equal(statusWords(603, 'Decline\nnow'), '603 Decline\uFFFDnow');
    assert.equal(statusWords(486, 'x'.repeat(300)).length, 4 + 80);
  });
});
