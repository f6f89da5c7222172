import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatLink, type Link, type Subscriber } from './index.ts';
import { itRefuses, parsed } from './links.test-support.ts';

/**
 * tel: links, RFC 3966: its own examples (section 6), the forms business software writes
 * (Season Office hands `tel:<number>` to the system's handler), and the refusals.
 */

const dial = (number: string, rest: Omit<Subscriber, 'number'> = {}): Link => ({
  kind: 'dial',
  scheme: 'tel',
  number,
  ...rest,
});

describe('tel: links', () => {
  const examples = [
    // RFC 3966, section 6.
    ['tel:+1-201-555-0123', dial('+12015550123')],
    ['tel:7042;phone-context=example.com', dial('7042', { context: 'example.com' })],
    ['tel:863-1234;phone-context=+1-914-555', dial('8631234', { context: '+1914555' })],
    // Parameters: ext, isub, phone-context, in any order and case; unknown ones skipped.
    ['tel:+1-212-555-0100;ext=22', dial('+12125550100', { extension: '22' })],
    ['tel:+1-212-555-0100;EXT=2-2;tgrp=TG-1', dial('+12125550100', { extension: '22' })],
    ['tel:+358-555-1234567;isub=1411', dial('+3585551234567', { subaddress: '1411' })],
    [
      'tel:0301234;phone-context=example.com;isub=a%3Bb;ext=9',
      dial('0301234', { context: 'example.com', subaddress: 'a;b', extension: '9' }),
    ],
    // Visual separators, spaces as written or escaped, percent-encoding.
    ['tel:+44 (0)20 7946.0000', dial('+4402079460000')],
    ['tel:+44%2020%207946%200000', dial('+442079460000')],
    ['tel:%2B49-30-123456', dial('+4930123456')],
    ['tel:012345678901', dial('012345678901')],
    // Feature codes: `#` as written (the fragment a browser keeps) or escaped.
    ['tel:*21#', dial('*21#')],
    ['tel:%2A21%23', dial('*21#')],
    // The scheme in any case, and the `tel://` habit.
    ['TEL:201', dial('201')],
    ['tel://201/', dial('201')],
    ['tel:201;', dial('201')],
  ] as const;

  for (const [uri, link] of examples) {
    it(`reads ${uri}`, () => assert.deepEqual(parsed(uri), link));
    it(`formats ${uri} back to a link that reads the same`, () =>
      assert.deepEqual(parsed(formatLink(link)), link));
  }

  it('writes numbers without separators, parameters in RFC order, `#` escaped', () => {
    assert.equal(
      formatLink(parsed('tel:863-1234;phone-context=+1-914-555;ext=1;isub=a b')),
      'tel:8631234;isub=a%20b;ext=1;phone-context=+1914555',
    );
    assert.equal(formatLink(parsed('tel:*21#')), 'tel:*21%23');
  });

  const refusals = [
    ['tel:', 'no-number', 'tel: link has no number'],
    ['tel:-.()', 'no-number', 'tel: link has no number'],
    ['tel:+', 'no-number'],
    ['tel:;ext=1', 'no-number'],
    [
      'tel:12x4',
      'bad-number',
      'tel: number "12x4" contains "x"; a number holds digits, + * # and the separators - . ( ) and space',
    ],
    ['tel:face', 'bad-number'],
    ['tel:1+2', 'bad-number'],
    ['tel:030/123456', 'bad-number'],
    [`tel:+${'1'.repeat(64)}`, 'bad-number'],
    ['tel:+1;ext=1;ext=2', 'bad-parameter', 'tel: link repeats ;ext='],
    ['tel:+1;ext=1a', 'bad-parameter', 'tel: ;ext= "1a" is not digits'],
    ['tel:+1;ext=', 'bad-parameter'],
    ['tel:+1;isub=', 'bad-parameter'],
    ['tel:1;phone-context=ex_ample', 'bad-parameter'],
    ['tel:1;phone-context=+1-x', 'bad-parameter'],
    ['tel:1;=x', 'bad-parameter'],
    ['tel:1%', 'bad-encoding', 'tel: link has a malformed percent-escape'],
    ['tel:1%C0%AF', 'bad-encoding'],
    [
      'tel:1%E2%80%AE2',
      'forbidden-character',
      'tel: link contains U+202E (right-to-left override)',
    ],
    ['tel:1%0A2', 'forbidden-character'],
    ['tel:1;isub=%00', 'forbidden-character'],
  ] as const;
  itRefuses(refusals);
});
