import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_CHALLENGE_LENGTH, parseDigestChallenge } from './realm.ts';

describe('parseDigestChallenge', () => {
  it('reads the realm and algorithm of the challenges real registrars send', () => {
    // Asterisk (PJSIP), Kamailio (auth module) and FreeSWITCH, as they write them.
    const samples: readonly (readonly [string, string, string | null])[] = [
      [
        'Digest realm="asterisk",nonce="1701430000/abc",opaque="5e1",algorithm=md5,qop="auth"',
        'asterisk',
        'md5',
      ],
      ['Digest realm="127.0.0.1", nonce="Z2a3b4c5d6e7f8", qop="auth"', '127.0.0.1', null],
      ['Digest realm="pbx.example.com", nonce="x", algorithm=MD5', 'pbx.example.com', 'MD5'],
      ['digest  REALM = "Big \\"Co\\"" ,nonce="n"', 'Big "Co"', null],
    ];
    for (const [header, realm, algorithm] of samples) {
      assert.deepEqual(
        parseDigestChallenge(header),
        { ok: true, value: { realm, algorithm } },
        header,
      );
    }
  });

  it('skips challenges of other schemes to the Digest one', () => {
    const result = parseDigestChallenge('Basic realm="web", Digest realm="sip", nonce="n"');
    assert.deepEqual(result, { ok: true, value: { realm: 'sip', algorithm: null } });
  });

  it('keeps the first realm when a challenge repeats it', () => {
    const result = parseDigestChallenge('Digest realm="a", realm="b", nonce="n"');
    assert.equal(result.ok && result.value.realm, 'a');
  });

  it('takes an unquoted token as the realm as well', () => {
    assert.deepEqual(parseDigestChallenge('Digest realm=pbx, nonce=abc'), {
      ok: true,
      value: { realm: 'pbx', algorithm: null },
    });
  });

  it('says what is wrong, and where', () => {
    const cases: readonly (readonly [string, string])[] = [
      ['', 'not-digest'],
      ['Basic realm="web"', 'not-digest'],
      ['Digest nonce="n"', 'no-realm'],
      ['Digest realm="", nonce="n"', 'empty-realm'],
      ['Digest realm="open', 'unterminated-quote'],
      ['Digest realm=', 'bad-parameter'],
      ['Digest ="x"', 'bad-parameter'],
      [`Digest realm="${'r'.repeat(300)}"`, 'realm-too-long'],
      [`Digest realm="x", nonce="${'n'.repeat(MAX_CHALLENGE_LENGTH)}"`, 'too-long'],
    ];
    for (const [header, code] of cases) {
      const result = parseDigestChallenge(header);
      assert.equal(result.ok ? 'ok' : result.error.code, code, header.slice(0, 40));
    }
    const unterminated = parseDigestChallenge('Digest nonce="n", realm="open');
    assert.deepEqual(unterminated, {
      ok: false,
      error: { code: 'unterminated-quote', position: 24 },
    });
  });

  it('never throws, on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 600 }), (text) => {
        const result = parseDigestChallenge(text);
        assert.equal(typeof result.ok, 'boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on strings built from the grammar pieces either', () => {
    const piece = fc.constantFrom(
      'Digest',
      'Basic',
      ' ',
      ',',
      '=',
      '"',
      '\\',
      'realm',
      'nonce',
      'x',
      '\t',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const result = parseDigestChallenge(pieces.join(''));
        if (result.ok) assert.ok(result.value.realm.trim() !== '');
      }),
      { numRuns: 3000 },
    );
  });

  it('reads back any realm written as a quoted string', () => {
    const realm = fc.string({ minLength: 1, maxLength: 64 }).filter((text) => text.trim() !== '');
    fc.assert(
      fc.property(realm, (value) => {
        const quoted = value.replace(/[\\"]/g, (c) => `\\${c}`);
        const result = parseDigestChallenge(`Digest realm="${quoted}", nonce="abc", qop="auth"`);
        assert.deepEqual(result, { ok: true, value: { realm: value, algorithm: null } });
      }),
    );
  });
});
