import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { unreadableStartLine } from './wire-check.ts';

const message = (...lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;

const invite = (contact: string) =>
  message(
    'INVITE sip:1001@callbridge.test SIP/2.0',
    'Via: SIP/2.0/WS 127.0.0.1:5060;branch=z9hG4bK1',
    'From: <sip:1004@callbridge.test>;tag=a',
    'To: <sip:1001@callbridge.test>',
    'Call-ID: c1',
    'CSeq: 2 INVITE',
    `Contact: ${contact}`,
    'Content-Length: 0',
  );

describe('messages JsSIP cannot read', () => {
  it('passes what JsSIP reads, and its keep-alives', () => {
    assert.equal(unreadableStartLine(invite('<sip:1004@127.0.0.1:5070>')), null);
    assert.equal(unreadableStartLine('\r\n'), null);
    assert.equal(unreadableStartLine('\r\n\r\n'), null);
  });

  it('names the start line of one it drops', () => {
    assert.equal(
      unreadableStartLine(invite('<sip:@@1004@@>;;garbage=<<>>')),
      'INVITE sip:1001@callbridge.test SIP/2.0',
    );
    assert.equal(
      unreadableStartLine(message('SIP/2.0 200 OK', 'Via: garbage', 'Call-ID: c1')),
      'SIP/2.0 200 OK',
    );
    // JsSIP's parser throws on this one rather than refusing it.
    assert.equal(unreadableStartLine(message('SIP/2.0 200 OK', 'CSeq: garbage')), 'SIP/2.0 200 OK');
    assert.equal(unreadableStartLine(message('HELLO WORLD')), 'HELLO WORLD');
    assert.equal(unreadableStartLine(''), '(no start line)');
  });

  it('keeps the start line it names short and on one line', () => {
    const long = unreadableStartLine(`\u0007${'x'.repeat(10_000)}`);
    assert.ok(long !== null && long.length <= 160 && long.startsWith('\uFFFD'), long ?? '');
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        unreadableStartLine(text);
      }),
      { numRuns: 300 },
    );
  });
});
