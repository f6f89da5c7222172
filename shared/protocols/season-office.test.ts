import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallEventSchema } from '../model/call-event.ts';
import {
  describeTelephonyRequest,
  formatSeasonOfficeError,
  formatTelephonyQuery,
  parseTelephonyQuery,
  toCallEvent,
} from './season-office.ts';
import { ACTIONS_MESSAGE, parsed, refused, request } from './season-office.test-support.ts';

/**
 * Conformance: every listen-port example in specs/season-office-comms-manager.txt, then the
 * edges. The command-line examples are in season-office.args.test.ts.
 */

describe('Season Office vendor document: HTTP listen port', () => {
  const examples = [
    [
      'http://localhost:5555/telephony?line=1&no=012345678901&action=incoming&callerid=Datos',
      'incoming',
      'long',
    ],
    ['http://localhost:5555/telephony?l=1&n=012345678901&a=i&i=Datos', 'incoming', 'short'],
    [
      'http://localhost:5555/telephony?line=1&no=012345678901&action=established&callerid=Datos',
      'established',
      'long',
    ],
    ['http://localhost:5555/telephony?l=1&n=012345678901&a=e&i=Datos', 'established', 'short'],
  ] as const;

  for (const [url, action, form] of examples) {
    it(`reads ${url}`, () => {
      const { pathname, search } = new URL(url);
      assert.equal(pathname, '/telephony');
      assert.deepEqual(parsed(search), request({ action }));
    });
    it(`formats the same query back in the ${form} form`, () => {
      const search = new URL(url).search.slice(1);
      assert.equal(formatTelephonyQuery(parsed(search), form), search);
    });
  }

  it('maps the examples to the shared CallEvent', () => {
    assert.deepEqual(toCallEvent(parsed('l=1&n=012345678901&a=i&i=Datos')), {
      kind: 'Incoming',
      line: 1,
      number: '012345678901',
      callerId: 'Datos',
    });
    assert.deepEqual(toCallEvent(parsed('l=1&n=012345678901&a=e&i=Datos')), {
      kind: 'Established',
      line: 1,
      number: '012345678901',
      callerId: 'Datos',
    });
  });

  it('reads the parameter table examples, long and short', () => {
    const expected = request({ number: '02838362002', callerId: 'Datos Software Solutions' });
    // As written in the document (typographic quotes, raw spaces), and as an HTTP client sends it.
    const raw = [
      'NO=02838362002&LINE=1&CALLERID=”Datos Software Solutions”&ACTION=INCOMING',
      'N=02838362002&L=1&I=”Datos Software Solutions”&A=INCOMING',
    ];
    for (const query of [...raw, ...raw.map((q) => encodeURI(q))]) {
      assert.deepEqual(parsed(query), expected, query);
    }
  });

  it('reads every action of the action table, long and short, in any case', () => {
    const table = [
      ['INCOMING', 'I', 'incoming', 'Incoming'],
      ['ESTABLISHED', 'E', 'established', 'Established'],
      ['ONHOLD', 'H', 'onhold', 'Held'],
      ['HOLDRESUME', 'R', 'holdresume', 'Resumed'],
      ['LINESELECT', 'L', 'lineselect', 'LineSelected'],
      ['TERMINATED', 'T', 'terminated', 'Terminated'],
    ] as const;
    for (const [long, short, action, kind] of table) {
      const mixed = long.charAt(0) + long.slice(1).toLowerCase();
      for (const written of [long, short, long.toLowerCase(), short.toLowerCase(), mixed]) {
        const value = parsed(`line=2&action=${written}`);
        assert.equal(value.action, action, written);
        const event = toCallEvent(value);
        assert.equal(event.kind, kind);
        assert.equal(event.line, 2);
        assert.ok(CallEventSchema.safeParse(event).success);
      }
    }
  });

  it('reads the keys long or short, in any case', () => {
    for (const query of [
      'LINE=3&NO=5&ACTION=I&CALLERID=x',
      'Line=3&No=5&Action=I&CallerId=x',
      'l=3&n=5&a=I&i=x',
      'L=3&N=5&A=I&I=x',
    ]) {
      assert.deepEqual(parsed(query), request({ line: 3, number: '5', callerId: 'x' }), query);
    }
  });
});

describe('Season Office listen port: the edges', () => {
  it('takes the query with or without its leading ?', () => {
    assert.deepEqual(parsed('?a=i&l=1'), parsed('a=i&l=1'));
  });

  it('keeps + in NO as a plus: an unencoded international number', () => {
    for (const query of [
      'a=i&no=+4930123456',
      'a=i&no=%2B4930123456',
      'a=i&n=+4930123456',
      'a=i&NO=%2b4930123456',
      'a=i&no=%20+4930123456%20',
    ]) {
      assert.equal(parsed(query).number, '+4930123456', query);
    }
    assert.equal(parsed('a=i&no=+49%2030%20123456').number, '+49 30 123456');
    // A form encoder's spaces stay pluses in NO: odd to read, but no digit or + is lost.
    assert.equal(parsed('a=i&no=%2B49+30+123456').number, '+49+30+123456');
    assert.equal(
      formatTelephonyQuery(parsed('a=i&no=+4930123456'), 'long'),
      'no=%2B4930123456&action=incoming',
    );
    assert.equal(
      describeTelephonyRequest(parsed('a=i&l=1&no=+4930123456')),
      'INCOMING on line 1 from +4930123456',
    );
  });

  it('decodes + as a space and percent-escapes in the other values', () => {
    assert.equal(parsed('a=i&i=Datos+Software').callerId, 'Datos Software');
    assert.equal(parsed('a=i&callerid=Datos+Software').callerId, 'Datos Software');
    assert.equal(parsed('a=i+&l=+2+').line, 2);
    assert.equal(parsed('a=i&i=Datos%20Software%26Co').callerId, 'Datos Software&Co');
    assert.equal(parsed('a=i&i=C%2B%2B+Ltd').callerId, 'C++ Ltd');
    assert.equal(parsed('a=i&i=M%C3%BCller').callerId, 'Müller');
    assert.equal(parsed('%41CTION=%49').action, 'incoming');
  });

  it('strips one enclosing pair of quotes from values', () => {
    const cases = [
      ['"Datos Software"', 'Datos Software'],
      ['“Datos Software”', 'Datos Software'],
      ['”Datos Software”', 'Datos Software'],
      ["'Datos Software'", 'Datos Software'],
      ['‘Datos’', 'Datos'],
      ['""Datos""', '"Datos"'],
      ['" Datos "', ' Datos '],
      ['"Datos', '"Datos'],
      ['Datos"', 'Datos"'],
      ['"Datos\'', '"Datos\''],
      ['  "Datos"  ', 'Datos'],
    ] as const;
    for (const [written, callerId] of cases) {
      assert.equal(parsed(`a=i&i=${encodeURIComponent(written)}`).callerId, callerId, written);
    }
    assert.deepEqual(
      parsed('a="i"&l="2"&n=" 0123 "'),
      request({ line: 2, number: '0123', callerId: '' }),
    );
  });

  it('trims NO, and leaves out empty NO and CALLERID', () => {
    assert.equal(parsed('a=i&n=%200123%20').number, '0123');
    assert.equal(parsed('a=i&n=%20%20').number, '');
    assert.deepEqual(
      parsed('a=t&n=&i='),
      request({ action: 'terminated', lineDefaulted: true, number: '', callerId: '' }),
    );
    assert.deepEqual(toCallEvent(parsed('a=e&l=3')), { kind: 'Established', line: 3 });
    assert.deepEqual(toCallEvent(parsed('a=i&l=3')), { kind: 'Incoming', line: 3, number: '' });
  });

  it('defaults a missing or empty LINE to line 1 and says so', () => {
    for (const query of ['a=i', 'a=i&line=', 'a=i&l=+']) {
      const value = parsed(query);
      assert.equal(value.line, 1);
      assert.equal(value.lineDefaulted, true);
    }
    assert.equal(parsed('a=i&l=1').lineDefaulted, false);
    assert.equal(parsed('a=i&l=064').line, 64);
  });

  it('accepts a repeated key with the same meaning, and refuses one with two', () => {
    assert.equal(parsed('line=2&l=2&a=i').line, 2);
    assert.equal(parsed('l=02&l=2&a=i').line, 2);
    assert.equal(parsed('a=i&action=INCOMING').action, 'incoming');
    assert.equal(parsed('n=&n=0123&a=i').number, '0123');
    assert.equal(parsed('a=&a=e').action, 'established');
    const error = refused(parseTelephonyQuery('line=1&l=2&a=i'), 'conflicting-values');
    assert.equal(error.message, 'LINE is given twice with different values: "1" and "2"');
    assert.equal(error.key, 'l');
    assert.equal(error.position, 7);
    assert.equal(formatSeasonOfficeError(error), `${error.message} (at character 8)`);
    refused(parseTelephonyQuery('a=i&a=t'), 'conflicting-values');
    refused(parseTelephonyQuery('a=i&i=A&callerid=B'), 'conflicting-values');
  });

  it('ignores unknown keys and reports them once each', () => {
    const value = parsed('a=i&l=1&n=0123&i=Datos&ext=201&EXT=202&ext=203&token');
    assert.deepEqual(value.ignoredKeys, ['ext', 'EXT', 'token']);
    assert.equal(
      describeTelephonyRequest(value),
      'INCOMING on line 1 from 0123 "Datos"; ignored "ext", "EXT", "token"',
    );
  });

  it('skips empty parameters', () => {
    assert.deepEqual(parsed('&&a=i&&l=1&n=012345678901&i=Datos&'), request({}));
  });

  it('describes requests for the integration log', () => {
    assert.equal(
      describeTelephonyRequest(request({})),
      'INCOMING on line 1 from 012345678901 "Datos"',
    );
    assert.equal(
      describeTelephonyRequest(request({ action: 'established', line: 2, callerId: '' })),
      'ESTABLISHED on line 2 with 012345678901',
    );
    assert.equal(describeTelephonyRequest(parsed('a=h')), 'ONHOLD on line 1 (no LINE given)');
  });
});

describe('Season Office listen port: every error names the bad part', () => {
  it('too-long', () => {
    const query = `a=i&i=${'x'.repeat(4096)}`;
    assert.equal(
      refused(parseTelephonyQuery(query), 'too-long').message,
      `the query is ${query.length} characters long; the limit is 4096`,
    );
    parsed(`?a=i&i=x&z=${'x'.repeat(4096 - 12)}`);
  });

  it('too-many-parameters', () => {
    const query = ['a=i', ...Array.from({ length: 32 }, (_, i) => `x${i}=1`)].join('&');
    assert.equal(
      refused(parseTelephonyQuery(query), 'too-many-parameters').message,
      'the query has 33 parameters; the limit is 32',
    );
    assert.equal(parsed(query.slice(0, query.lastIndexOf('&'))).ignoredKeys.length, 31);
  });

  it('bad-encoding', () => {
    for (const query of ['a=i&i=100%', 'a=i&i=%E9', 'a=i&i=%zz', 'a%=i']) {
      const error = refused(parseTelephonyQuery(query), 'bad-encoding');
      assert.match(error.message, /^parameter ".*" has a malformed percent-escape$/);
    }
    const error = refused(parseTelephonyQuery('a=i&callerid=M%FCller'), 'bad-encoding');
    assert.equal(error.message, 'parameter "callerid=M%FCller" has a malformed percent-escape');
    assert.equal(error.key, 'callerid');
    assert.equal(error.position, 4);
  });

  it('missing-action', () => {
    assert.equal(
      refused(parseTelephonyQuery('line=1&no=0123'), 'missing-action').message,
      `ACTION is missing; it must be one of ${ACTIONS_MESSAGE.slice('is not one of '.length)}`,
    );
    assert.match(
      refused(parseTelephonyQuery('l=1&action='), 'missing-action').message,
      /^ACTION is empty/,
    );
    refused(parseTelephonyQuery(''), 'missing-action');
  });

  it('unknown-action', () => {
    const error = refused(parseTelephonyQuery('line=1&action=ringing'), 'unknown-action');
    assert.equal(error.message, `ACTION "ringing" ${ACTIONS_MESSAGE}`);
    assert.equal(error.key, 'action');
    assert.equal(error.value, 'ringing');
    assert.equal(error.position, 7);
    assert.equal(
      refused(parseTelephonyQuery('A=X'), 'unknown-action').message,
      `ACTION "X" ${ACTIONS_MESSAGE}`,
    );
  });

  it('bad-line', () => {
    for (const line of ['0', '65', '1.5', '-1', 'one', '1e1', '0x1', '99999999999999999999']) {
      const error = refused(parseTelephonyQuery(`a=i&line=${line}`), 'bad-line');
      assert.equal(error.message, `LINE "${line}" is not a whole number from 1 to 64`);
    }
  });

  it('bad-number', () => {
    const long = '1'.repeat(65);
    assert.equal(
      refused(parseTelephonyQuery(`a=i&no=${long}`), 'bad-number').message,
      `NO "${'1'.repeat(40)}…" is 65 characters long; the limit is 64`,
    );
    parsed(`a=i&no=${'1'.repeat(64)}`);
    assert.equal(
      refused(parseTelephonyQuery('a=i&no=01%0A23'), 'bad-number').message,
      'NO "01\\u{A}23" contains a control character (U+000A) at index 2',
    );
  });

  it('bad-caller-id', () => {
    refused(parseTelephonyQuery(`a=i&i=${'x'.repeat(129)}`), 'bad-caller-id');
    parsed(`a=i&i=${'x'.repeat(128)}`);
    for (const bad of ['%00', '%7F', '%C2%85', '%E2%80%A8']) {
      const error = refused(parseTelephonyQuery(`a=i&i=Da${bad}tos`), 'bad-caller-id');
      assert.match(
        error.message,
        /^CALLERID "Da\\u\{[0-9A-F]+\}tos" contains a control character \(U\+[0-9A-F]{4}\) at index 2$/,
      );
      assert.doesNotMatch(error.message, /[\n\r]/);
      assert.equal(error.character?.index, 2);
    }
    // The bidi overrides and isolates are format characters: see 'a party cannot look like another'.
    for (const bad of ['%E2%80%AE', '%E2%81%A6']) {
      refused(parseTelephonyQuery(`a=i&i=Da${bad}tos`), 'invisible-character');
    }
  });

  it('errors from the query carry no argument, errors from argv no position', () => {
    const error = refused(parseTelephonyQuery('a=ringing'), 'unknown-action');
    assert.equal(error.argument, undefined);
    assert.equal(formatSeasonOfficeError(error), `${error.message} (at character 1)`);
    const tooLong = refused(parseTelephonyQuery('x'.repeat(5000)), 'too-long');
    assert.equal(formatSeasonOfficeError(tooLong), tooLong.message);
  });
});
