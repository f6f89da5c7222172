import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTelephonyArgs } from './season-office-args.ts';
import { formatSeasonOfficeError } from './season-office.ts';
import { ACTIONS_MESSAGE, parsed, refused, request } from './season-office.test-support.ts';

/** Conformance: the TelephonyIntegration.exe command lines of specs/season-office-comms-manager.txt. */

describe('Season Office vendor document: TelephonyIntegration.exe', () => {
  const lines = [
    [
      '>TelephonyIntegration.exe LOCALHOST:5555 line=1 no=012345678901 action=incoming callerid=Datos',
      'incoming',
    ],
    ['>TelephonyIntegration.exe LOCALHOST:5555  l=1 n=012345678901 a=i i=Datos', 'incoming'],
    [
      '>TelephonyIntegration.exe LOCALHOST:5555 line=1 no=012345678901 action=established callerid=Datos',
      'established',
    ],
    ['>TelephonyIntegration.exe LOCALHOST:5555  l=1 n=012345678901 a=e i=Datos', 'established'],
  ] as const;

  for (const [line, action] of lines) {
    // Split on single spaces as a naive launcher would: the double space gives an empty argument.
    for (const argv of [line.split(' ').slice(1), line.split(/\s+/).slice(1)]) {
      it(`reads ${JSON.stringify(argv)}`, () => {
        const result = parseTelephonyArgs(argv);
        assert.ok(result.ok, JSON.stringify(result));
        assert.equal(result.value.host, 'localhost');
        assert.equal(result.value.port, 5555);
        assert.equal(result.value.query, argv.filter((a) => a.includes('=')).join('&'));
        assert.deepEqual(parsed(result.value.query), request({ action }));
      });
    }
  }

  it('accepts 127.0.0.1 and [::1] and keeps the brackets', () => {
    for (const [address, host] of [
      ['127.0.0.1:5555', '127.0.0.1'],
      ['[::1]:5555', '[::1]'],
      ['Reception-PC.local:80', 'reception-pc.local'],
    ] as const) {
      const result = parseTelephonyArgs([address, 'a=i']);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.value.host, host);
    }
  });

  it('passes a caller ID with its quotes still on, and the server strips them', () => {
    const result = parseTelephonyArgs(['localhost:5555', 'callerid="Datos Software"', 'a=i']);
    assert.ok(result.ok);
    assert.equal(result.value.query, 'callerid=%22Datos%20Software%22&a=i');
    assert.equal(parsed(result.value.query).callerId, 'Datos Software');
  });

  it('sends a plus as %2B, so it reads as a plus in NO and in CALLERID', () => {
    const result = parseTelephonyArgs(['localhost:5555', 'no=+4930123456', 'a=i', 'i=C++']);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.value.query, 'no=%2B4930123456&a=i&i=C%2B%2B');
    const value = parsed(result.value.query);
    assert.equal(value.number, '+4930123456');
    assert.equal(value.callerId, 'C++');
  });

  it('joins an unquoted caller ID that the launcher split into words', () => {
    const argv = ['localhost:5555', 'i=Datos', 'Software', 'Solutions', 'a=i', 'l=2'];
    const result = parseTelephonyArgs(argv);
    assert.ok(result.ok);
    assert.equal(parsed(result.value.query).callerId, 'Datos Software Solutions');
  });

  it('refuses an unknown key and names it', () => {
    const error = refused(parseTelephonyArgs(['localhost:5555', 'lien=1', 'a=i']), 'unknown-key');
    assert.equal(error.key, 'lien');
    assert.equal(error.argument, 1);
    assert.equal(
      formatSeasonOfficeError(error),
      'unknown key "lien" in "lien=1"; expected NO (N), LINE (L), CALLERID (I) or ACTION (A) (argument 2)',
    );
  });

  it('refuses a word that is not KEY=VALUE', () => {
    const error = refused(
      parseTelephonyArgs(['localhost:5555', 'l=1', 'incoming']),
      'bad-argument',
    );
    assert.match(error.message, /^argument "incoming" is not KEY=VALUE/);
    assert.equal(error.argument, 2);
  });

  it('refuses what the listen port would refuse, naming the argument', () => {
    const error = refused(
      parseTelephonyArgs(['localhost:5555', 'l=1', 'a=ringing']),
      'unknown-action',
    );
    assert.equal(error.message, `ACTION "ringing" ${ACTIONS_MESSAGE}`);
    assert.equal(error.argument, 2);
    assert.equal(error.position, undefined);
    refused(parseTelephonyArgs(['localhost:5555', 'l=65', 'a=i']), 'bad-line');
    refused(parseTelephonyArgs(['localhost:5555', 'l=1']), 'missing-action');
    refused(parseTelephonyArgs(['localhost:5555', 'l=1', 'line=2', 'a=i']), 'conflicting-values');
  });

  it('refuses a missing or malformed HOST:PORT and names it', () => {
    assert.equal(
      refused(parseTelephonyArgs([]), 'missing-address').message,
      'HOST:PORT (e.g. localhost:5555) is missing; it must be the first argument',
    );
    const first = refused(parseTelephonyArgs(['line=1', 'a=i']), 'missing-address');
    assert.equal(
      first.message,
      'the first argument must be HOST:PORT (e.g. localhost:5555), not "line=1"',
    );
    assert.equal(
      refused(parseTelephonyArgs(['localhost']), 'bad-address').message,
      '"localhost" is not HOST:PORT (e.g. localhost:5555)',
    );
    assert.equal(
      refused(parseTelephonyArgs(['localhost:0', 'a=i']), 'bad-address').message,
      'port "0" in "localhost:0" is not a number from 1 to 65535',
    );
    refused(parseTelephonyArgs(['localhost:65536', 'a=i']), 'bad-address');
    refused(parseTelephonyArgs(['localhost:http', 'a=i']), 'bad-address');
    const host = refused(parseTelephonyArgs(['::1:5555', 'a=i']), 'bad-address');
    assert.match(host.message, /^host "::1" in "::1:5555" is not a host name/);
    refused(parseTelephonyArgs(['a b:5555', 'a=i']), 'bad-address');
    refused(parseTelephonyArgs([':5555', 'a=i']), 'bad-address');
  });
});
