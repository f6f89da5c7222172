import { err, ok, type Result } from '../result.ts';
import { findControl, percentEncodeLossy } from './text.ts';

/**
 * VOIspeed Integra (`specs/voispeed-integra.txt`): a command or URL run on call events, with
 * `!00`..`!08` replaced by the call's values. Pure: no I/O, and nothing here throws.
 *
 * The vendor runs the field through the Windows shell "as it is". Callbridge does not: the
 * values come from whoever calls, so a caller ID such as `"; rm -rf ~ #`, `$(reboot)` or
 * `& del *` would be shell syntax. The template is split into argv *before* any value is
 * substituted, and every value lands inside the one argument its placeholder sits in. A user
 * who relied on shell syntax (pipes, redirection, `&&`, batch built-ins) points the template at
 * a script that does it: `C:\hooks\on-call.cmd !01 !02` becomes `powershell -File
 * C:\hooks\on-call.ps1 !01 !02` (Node refuses to start .bat/.cmd files without a shell), and on
 * Linux or macOS `/home/me/on-call.sh !01 !02` with `"$1"` quoted inside the script.
 */

/**
 * The events the vendor lets a user tick, with when Callbridge fires each. The document lists
 * only the names; what each means comes from the vendor's fuller manual ("On call in =
 * incoming call", "On call activate = a queued call is activated", "On busy = the called
 * number is busy": voispeed.com/manuali/interface-voispeed-ui-with-third-party-sw). The line
 * table's transition that fires each is named in brackets for the door that subscribes.
 */
export const INTEGRA_EVENTS = [
  {
    name: 'CALL_IN',
    firesWhen:
      'an incoming call starts ringing on a line (idle -> ringing); a call that arrives already answered fires CALL_IN, then CALL_ACCEPT',
  },
  {
    name: 'CALL_FORWARD_IN',
    firesWhen:
      'a call forwarded to us (by another extension, a group or an IVR) starts ringing, in place of CALL_IN; no extension type tells Callbridge yet that a call was forwarded, so for now such a call fires CALL_IN and this never fires',
  },
  {
    name: 'CALL_OUT',
    firesWhen: 'we place a call and it starts dialing (idle -> dialing)',
  },
  {
    name: 'CALL_ACCEPT',
    firesWhen:
      'a call is answered: an incoming one here or at a desk phone, an outgoing one by the far end (ringing or dialing -> connected)',
  },
  {
    name: 'CALL_CLOSE',
    firesWhen:
      'a call ends, answered or not, whoever hung up, or a new call on its line pushes it off (any call state -> idle); once per call, after CALL_BUSY too',
  },
  {
    name: 'CALL_ACTIVE',
    firesWhen: 'a held call is taken back and is the active call again (held -> connected)',
  },
  {
    name: 'CALL_BUSY',
    firesWhen:
      'a call we placed ends unanswered because the far end is busy or rejected it (dialing -> idle, reason rejected or a busy status such as 486 Busy Here), just before its CALL_CLOSE',
  },
] as const;

export type IntegraEvent = (typeof INTEGRA_EVENTS)[number]['name'];

export const INTEGRA_EVENT_NAMES: readonly IntegraEvent[] = INTEGRA_EVENTS.map((e) => e.name);

/** A hook that has not finished in 10 s is stuck: CRM pop-ups and loggers take well under 1 s. */
export const INTEGRA_TIME_LIMIT_MS = 10_000;
/** Calls arrive a few at a time; four at once keeps a burst from starving a two-core machine. */
export const INTEGRA_MAX_RUNNING = 4;

/**
 * The values of one event, one field per placeholder, already as text: `!04` is formatted by
 * `formatIntegraTime`. A value the event does not know (no direct number, no Call ID) is ''.
 */
export interface IntegraValues {
  /** `!00`: our own internal number (extension). */
  readonly ownNumber: string;
  /** `!01`: the remote number, called or calling. */
  readonly remoteNumber: string;
  /** `!02`: the action, the event that triggered the run. */
  readonly action: IntegraEvent;
  /** `!03`: our own direct number that was called. */
  readonly ownDirectNumber: string;
  /** `!04`: date and time of the event, `day/month/year_hour.minute.second`. */
  readonly time: string;
  /** `!05`: the Call ID, unique per call. */
  readonly callId: string;
  /** `!06`: the original calling number (the real caller of a forwarded or IVR call). */
  readonly originalCallingNumber: string;
  /** `!07`: the original called number, typically the company number. */
  readonly originalCalledNumber: string;
  /**
   * `!08`, Callbridge's own: the ext_ID a `voispeed:{number},{ext_ID}` link gave the call
   * (the document says it "is reported in call monitoring and the final call report" but
   * names no placeholder for it); '' for other calls.
   */
  readonly extId: string;
}

/** Placeholders by their digits: index n is `!0n`. */
export const INTEGRA_PLACEHOLDERS: readonly (keyof IntegraValues)[] = [
  'ownNumber',
  'remoteNumber',
  'action',
  'ownDirectNumber',
  'time',
  'callId',
  'originalCallingNumber',
  'originalCalledNumber',
  'extId',
];

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * `!04` for `date` in the local time zone: `25/12/2024_09.05.03`. The document's "time of the
 * Server" is the VOIspeed PBX's; Callbridge has no such server, so it is this computer's clock.
 * Day, month, hour, minute and second are two digits and the year four, so the text has one
 * length and sorts within a day; the hour runs 00..23. An invalid Date gives ''.
 */
export function formatIntegraTime(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const day = `${two(date.getDate())}/${two(date.getMonth() + 1)}/${String(date.getFullYear())}`;
  return `${day}_${two(date.getHours())}.${two(date.getMinutes())}.${two(date.getSeconds())}`;
}

/** A part of one argument: text as written, or the place of a value. */
export type TemplatePiece =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'value'; readonly field: keyof IntegraValues };

/** One argument (or the URL) of a template, before substitution. */
export interface TemplateWord {
  readonly pieces: readonly TemplatePiece[];
  /**
   * The word begins with `http://` or `https://`, so its values are percent-encoded: the
   * document's own example hands a URL to `iexplore`, and the program reads it as a URL.
   */
  readonly isUrl: boolean;
}

export type Template =
  /** The whole template is one http(s) URL, for the default browser. */
  | { readonly kind: 'url'; readonly url: TemplateWord }
  /** A program, fixed text, and its arguments. */
  | { readonly kind: 'program'; readonly file: string; readonly args: readonly TemplateWord[] };

export type TemplateErrorCode =
  | 'empty'
  | 'too-long'
  | 'control-character'
  | 'unterminated-quote'
  | 'unknown-placeholder'
  | 'placeholder-in-program'
  | 'placeholder-in-address'
  | 'url-with-arguments';

export interface TemplateError {
  readonly code: TemplateErrorCode;
  /** One line that names the bad part, counting characters from 1. */
  readonly message: string;
  /** 0-based UTF-16 offset into the template of the bad part. */
  readonly position: number;
}

/** Longer than any real command line wants; Windows' own limit is 32767 characters. */
export const INTEGRA_TEMPLATE_LIMIT = 4096;

const fail = (
  code: TemplateErrorCode,
  position: number,
  message: string,
): { readonly ok: false; readonly error: TemplateError } =>
  err({ code, position, message: `${message} at character ${position + 1}` });

/**
 * `!` then at most one space then two digits: the document writes both `!01` and `! 01`.
 * Two digits outside 00..08 (`!09`, `! 42`) are refused rather than left as text: a user who
 * wrote them expects a value, and a command run with a literal `!09` fails far from here.
 * Anything else after `!` (`!1`, `!x`, `!` at the end) is plain text, so `!` stays usable.
 * There is no escape for a literal `!01`; the vendor has none either.
 */
const PLACEHOLDER = /! ?([0-9]{2})/y;

const URL_START = /^https?:\/\//i;

interface Word {
  readonly start: number;
  readonly pieces: TemplatePiece[];
  /** Offset of each piece in the template, for errors. */
  readonly at: number[];
}

const addText = (word: Word, text: string, at: number): void => {
  const last = word.pieces[word.pieces.length - 1];
  if (last?.kind === 'text')
    word.pieces[word.pieces.length - 1] = { kind: 'text', text: last.text + text };
  else {
    word.pieces.push({ kind: 'text', text });
    word.at.push(at);
  }
};

/**
 * Splits the template into words. The rule, the common ground of what a Windows user types at
 * `cmd` and a POSIX user at `sh`:
 * - spaces and tabs outside double quotes separate words; runs of them count as one;
 * - `"` opens and closes a quoted stretch, in which spaces are kept; the quote marks are
 *   dropped and the stretch joins the text around it (`"C:\Program Files"\app.exe` is one
 *   word); `""` on its own is an empty argument;
 * - `\"` is a literal `"`, inside or outside quotes; every other backslash is literal, so
 *   Windows paths need no doubling (`"C:\dir\"` therefore has an unterminated quote, as it
 *   has for Windows' own CommandLineToArgvW);
 * - single quotes, typographic quotes and `^` are ordinary characters (cmd does not group with
 *   them), and so are `$ ; & | < > ( ) *` and backticks, which nothing here interprets;
 * - placeholders are found here, before any value exists, so the space of `! 04` splits
 *   nothing and a value can never add, remove or join words.
 */
function splitWords(text: string): Result<Word[], TemplateError> {
  const words: Word[] = [];
  let word: Word | null = null;
  let quoteAt = -1;
  const fresh = (at: number): Word => ({ start: at, pieces: [], at: [] });
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '\\' && text.charAt(i + 1) === '"') {
      word ??= fresh(i);
      addText(word, '"', i);
      i += 2;
    } else if (c === '"') {
      word ??= fresh(i);
      quoteAt = quoteAt < 0 ? i : -1;
      i += 1;
    } else if (quoteAt < 0 && (c === ' ' || c === '\t')) {
      if (word !== null) words.push(word);
      word = null;
      i += 1;
    } else if (c === '!') {
      PLACEHOLDER.lastIndex = i;
      const match = PLACEHOLDER.exec(text);
      const digits = match?.[1];
      if (match === null || digits === undefined) {
        word ??= fresh(i);
        addText(word, c, i);
        i += 1;
        continue;
      }
      const field = INTEGRA_PLACEHOLDERS[Number(digits)];
      if (field === undefined) {
        return fail('unknown-placeholder', i, `${match[0]} is not a placeholder (!00 to !08)`);
      }
      word ??= fresh(i);
      word.pieces.push({ kind: 'value', field });
      word.at.push(i);
      i += match[0].length;
    } else {
      word ??= fresh(i);
      addText(word, c, i);
      i += 1;
    }
  }
  if (quoteAt >= 0) return fail('unterminated-quote', quoteAt, 'the double quote is not closed');
  if (word !== null) words.push(word);
  return ok(words);
}

const firstText = (word: Word): string => {
  const first = word.pieces[0];
  return first?.kind === 'text' ? first.text : '';
};

/**
 * A value in a URL's scheme or host would let a caller choose which site the browser opens.
 * The address ends at the first `/`, `?` or `#` after `scheme://`; a value before it is refused.
 */
function checkAddress(word: Word): TemplateError | null {
  let seenScheme = false;
  for (const [index, piece] of word.pieces.entries()) {
    const at = word.at[index] ?? word.start;
    if (piece.kind === 'value') {
      return fail(
        'placeholder-in-address',
        at,
        'a placeholder may not stand in the scheme or host of a URL',
      ).error;
    }
    const rest = seenScheme ? piece.text : piece.text.slice(piece.text.indexOf('//') + 2);
    seenScheme = true;
    if (/[/?#]/.test(rest)) return null;
  }
  return null;
}

const toWord = (word: Word): TemplateWord => ({
  pieces: word.pieces,
  isUrl: URL_START.test(firstText(word)),
});

/**
 * Reads a command template. It is a URL when it is one word beginning with `http://` or
 * `https://` (any case), as in the document's example without `iexplore`; anything else is a
 * program and its arguments. The program name is fixed text: a placeholder there would let a
 * caller choose what runs.
 */
export function parseTemplate(text: string): Result<Template, TemplateError> {
  if (text.length > INTEGRA_TEMPLATE_LIMIT) {
    return fail(
      'too-long',
      INTEGRA_TEMPLATE_LIMIT,
      `the command is longer than ${INTEGRA_TEMPLATE_LIMIT} characters`,
    );
  }
  // A tab is a separator like a space; any other control (a pasted line break, NUL) is refused.
  const control = findControl(text.replaceAll('\t', ' '));
  if (control !== null) {
    return fail('control-character', control.index, 'the command holds a control character');
  }
  const split = splitWords(text);
  if (!split.ok) return split;
  const [program, ...rest] = split.value;
  if (program === undefined) return fail('empty', 0, 'the command is empty');
  if (URL_START.test(firstText(program))) {
    const extra = rest[0];
    if (extra !== undefined) {
      return fail(
        'url-with-arguments',
        extra.start,
        'a URL is one word (write a space in it as %20); this word follows it',
      );
    }
    const bad = checkAddress(program);
    return bad === null ? ok({ kind: 'url', url: toWord(program) }) : err(bad);
  }
  const valueAt = program.pieces.findIndex((piece) => piece.kind === 'value');
  if (valueAt >= 0) {
    return fail(
      'placeholder-in-program',
      program.at[valueAt] ?? program.start,
      'the program name may not hold a placeholder; pass the value as an argument',
    );
  }
  if (program.pieces.length === 0) return fail('empty', program.start, 'the program name is empty');
  for (const word of rest) {
    if (!URL_START.test(firstText(word))) continue;
    const bad = checkAddress(word);
    if (bad !== null) return err(bad);
  }
  return ok({ kind: 'program', file: firstText(program), args: rest.map(toWord) });
}

export type Expanded =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'program'; readonly file: string; readonly args: readonly string[] };

/**
 * One word with its values put in, once each: a value that holds `!01` stays that text.
 * Values in a URL are percent-encoded like `encodeURIComponent` (a lone surrogate becomes
 * U+FFFD), so none can add a query parameter or leave the path.
 */
function fill(word: TemplateWord, values: IntegraValues): string {
  return word.pieces
    .map((piece) => {
      if (piece.kind === 'text') return piece.text;
      const value = values[piece.field];
      return word.isUrl ? percentEncodeLossy(value) : value;
    })
    .join('');
}

/**
 * The command for one event. Each argument of the template is one argument of the result,
 * whatever the values hold; the program name is never touched.
 */
export function expand(template: Template, values: IntegraValues): Expanded {
  if (template.kind === 'url') return { kind: 'url', url: fill(template.url, values) };
  return {
    kind: 'program',
    file: template.file,
    args: template.args.map((word) => fill(word, values)),
  };
}
