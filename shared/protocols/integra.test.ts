import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  expand,
  formatIntegraTime,
  INTEGRA_EVENT_NAMES,
  INTEGRA_EVENTS,
  INTEGRA_TEMPLATE_LIMIT,
  parseTemplate,
} from './integra.ts';
import { refusedTemplate, template, values } from './integra.test-support.ts';

/** Conformance: the examples of specs/voispeed-integra.txt, and the splitting rule. */

const argv = (text: string, overrides = {}): readonly string[] => {
  const result = expand(template(text), values(overrides));
  assert.ok(result.kind === 'program', JSON.stringify(result));
  return [result.file, ...result.args];
};

const url = (text: string, overrides = {}): string => {
  const result = expand(template(text), values(overrides));
  assert.ok(result.kind === 'url', JSON.stringify(result));
  return result.url;
};

const DOCUMENT_URL = 'http://mywebserver.com/myscript.php?&num_chiamante=!01&action=!02';
const DOCUMENT_RESULT =
  'http://mywebserver.com/myscript.php?&num_chiamante=026161616&action=CALL_IN';

describe('Integra: the vendor document', () => {
  it('lists the seven events, each with when it fires', () => {
    assert.deepEqual(INTEGRA_EVENT_NAMES, [
      'CALL_IN',
      'CALL_FORWARD_IN',
      'CALL_OUT',
      'CALL_ACCEPT',
      'CALL_CLOSE',
      'CALL_ACTIVE',
      'CALL_BUSY',
    ]);
    for (const event of INTEGRA_EVENTS) assert.ok(event.firesWhen.length > 20, event.name);
  });

  it('runs iexplore with the URL, the values put in (an incoming call from 026161616)', () => {
    assert.deepEqual(argv(`iexplore ${DOCUMENT_URL}`), ['iexplore', DOCUMENT_RESULT]);
  });

  it('opens the URL with the default browser when iexplore is left out', () => {
    assert.equal(url(DOCUMENT_URL), DOCUMENT_RESULT);
  });

  it('reads the document\'s spelling with a space after "!" the same way', () => {
    const spaced = 'http://mywebserver.com/myscript.php?&num_chiamante=! 01&action=! 02';
    assert.equal(url(spaced), DOCUMENT_RESULT);
    assert.deepEqual(argv(`iexplore ${spaced}`), ['iexplore', DOCUMENT_RESULT]);
    assert.deepEqual(argv('log ! 04 !04'), ['log', '25/12/2024_09.05.03', '25/12/2024_09.05.03']);
  });

  it('puts every placeholder !00..!07 in its place', () => {
    assert.deepEqual(argv('hook !00 !01 !02 !03 !04 !05 !06 !07'), [
      'hook',
      '201',
      '026161616',
      'CALL_IN',
      '0230303030',
      '25/12/2024_09.05.03',
      'c-4711',
      '026161616',
      '0230303000',
    ]);
  });

  it('formats !04 as day/month/year_hour.minute.second in local time', () => {
    assert.equal(formatIntegraTime(new Date(2024, 11, 25, 9, 5, 3)), '25/12/2024_09.05.03');
    assert.equal(formatIntegraTime(new Date(2025, 0, 1, 23, 59, 59, 999)), '01/01/2025_23.59.59');
    assert.equal(formatIntegraTime(new Date(Number.NaN)), '');
  });
});

describe('Integra: splitting a program template', () => {
  it('separates words by runs of spaces and tabs', () => {
    assert.deepEqual(argv('  hook\t a   b \t'), ['hook', 'a', 'b']);
  });

  it('groups with double quotes, which join the text around them', () => {
    assert.deepEqual(argv('"C:\\Program Files\\CRM\\crm.exe" /pop !01'), [
      'C:\\Program Files\\CRM\\crm.exe',
      '/pop',
      '026161616',
    ]);
    assert.deepEqual(argv('"C:\\Program Files"\\app.exe x"y z"w'), [
      'C:\\Program Files\\app.exe',
      'xy zw',
    ]);
    assert.deepEqual(argv('hook "a ""b"'), ['hook', 'a b']);
  });

  it('keeps "" as an empty argument', () => {
    assert.deepEqual(argv('hook "" x ""'), ['hook', '', 'x', '']);
  });

  it('reads \\" as a quote mark and every other backslash as itself', () => {
    assert.deepEqual(argv('hook \\"quoted\\" "say \\"hi\\"" C:\\dir\\ \\\\server\\share'), [
      'hook',
      '"quoted"',
      'say "hi"',
      'C:\\dir\\',
      '\\\\server\\share',
    ]);
  });

  it('treats single quotes, typographic quotes and shell syntax as plain characters', () => {
    assert.deepEqual(argv("hook 'a b' “c d” $(x) a;b a|b ^& `y`"), [
      'hook',
      "'a",
      "b'",
      '“c',
      'd”',
      '$(x)',
      'a;b',
      'a|b',
      '^&',
      '`y`',
    ]);
  });

  it('puts a value inside the word its placeholder sits in, quoted or not', () => {
    assert.deepEqual(argv('hook --number=!01 "!02 from !01" x!05y', { remoteNumber: 'a b' }), [
      'hook',
      '--number=a b',
      'CALL_IN from a b',
      'xc-4711y',
    ]);
  });

  it('never reads a value again for placeholders, nor splits it', () => {
    const tricky = { remoteNumber: '!02 ! 00 "x y"', callId: '!01' };
    assert.deepEqual(argv('hook !01 !05', tricky), ['hook', '!02 ! 00 "x y"', '!01']);
  });

  it('percent-encodes values only in an argument that is a URL', () => {
    const hostile = { remoteNumber: '+39 02&x=1#' };
    assert.deepEqual(argv('open https://crm/?n=!01 n=!01', hostile), [
      'open',
      'https://crm/?n=%2B39%2002%26x%3D1%23',
      'n=+39 02&x=1#',
    ]);
  });

  it('leaves "!" that starts no placeholder as it is', () => {
    assert.deepEqual(argv('hook ! !1 !x !0 !001 a!'), [
      'hook',
      '!',
      '!1',
      '!x',
      '!0',
      '2011',
      'a!',
    ]);
  });

  it('refuses two digits that are not a placeholder, naming where', () => {
    const error = refusedTemplate('hook !09', 'unknown-placeholder');
    assert.equal(error.position, 5);
    assert.match(error.message, /!09 is not a placeholder \(!00 to !08\) at character 6/);
    assert.equal(refusedTemplate('hook "x ! 42"', 'unknown-placeholder').position, 8);
  });

  it('refuses an unterminated quote, naming where it opened', () => {
    const error = refusedTemplate('hook a "b c', 'unterminated-quote');
    assert.equal(error.position, 7);
    assert.match(error.message, /not closed at character 8/);
    // As with Windows' own rule, \" inside quotes is a quote mark, not the closing quote.
    assert.equal(refusedTemplate('"C:\\dir\\" x', 'unterminated-quote').position, 0);
  });

  it('refuses a placeholder in the program name: a caller must not choose what runs', () => {
    assert.equal(refusedTemplate('!01 x', 'placeholder-in-program').position, 0);
    assert.equal(refusedTemplate('C:\\hooks\\! 00.bat x', 'placeholder-in-program').position, 9);
    assert.equal(refusedTemplate('"a !02" x', 'placeholder-in-program').position, 3);
  });

  it('refuses an empty command or program name', () => {
    refusedTemplate('', 'empty');
    refusedTemplate(' \t ', 'empty');
    assert.equal(refusedTemplate('  "" x', 'empty').position, 2);
  });

  it('refuses control characters other than tab, and an overlong command', () => {
    assert.equal(refusedTemplate('hook a\nb', 'control-character').position, 6);
    refusedTemplate('hook\0', 'control-character');
    const long = `hook ${'x'.repeat(INTEGRA_TEMPLATE_LIMIT)}`;
    refusedTemplate(long, 'too-long');
    assert.ok(parseTemplate(long.slice(0, INTEGRA_TEMPLATE_LIMIT)).ok);
  });
});

describe('Integra: URL templates', () => {
  it('is a URL when it is one word starting with http:// or https://, in any case', () => {
    assert.equal(template('HTTPS://crm.example/pop?n=!01').kind, 'url');
    assert.equal(template('"http://crm.example/a b?n=!01"').kind, 'url');
    // Other schemes are not opened: as the first word they are a program name.
    assert.equal(template('ftp://crm.example/x !01').kind, 'program');
    refusedTemplate('mailto:!01', 'placeholder-in-program');
  });

  it('percent-encodes each value as encodeURIComponent does', () => {
    const hostile = { remoteNumber: '"; rm -rf ~ #', callId: '100% & more/?' };
    assert.equal(
      url('https://crm/pop/!05?n=!01', hostile),
      'https://crm/pop/100%25%20%26%20more%2F%3F?n=%22%3B%20rm%20-rf%20~%20%23',
    );
    assert.equal(
      url('https://crm/?n=!01', { remoteNumber: 'x\ud800' }),
      'https://crm/?n=x%EF%BF%BD',
    );
  });

  it('refuses a space ending the URL, pointing at the word after it', () => {
    const error = refusedTemplate('http://crm/?n=!01 more', 'url-with-arguments');
    assert.equal(error.position, 18);
  });

  it('refuses a value in the scheme or host, here and in a URL argument', () => {
    assert.equal(refusedTemplate('http://!01.example/', 'placeholder-in-address').position, 7);
    refusedTemplate('https://crm:!00/x', 'placeholder-in-address');
    refusedTemplate('https://user!01@crm/x', 'placeholder-in-address');
    refusedTemplate('https://!01', 'placeholder-in-address');
    refusedTemplate('iexplore http://!01/', 'placeholder-in-address');
    assert.equal(
      url('http://crm/!01', { remoteNumber: 'evil.example' }),
      'http://crm/evil.example',
    );
    assert.equal(url('http://crm?!01'), 'http://crm?026161616');
    assert.equal(url('http://crm#!01'), 'http://crm#026161616');
  });
});
