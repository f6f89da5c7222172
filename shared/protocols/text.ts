/**
 * Text helpers that every dialect's parser shares: which characters a party (a number, a
 * caller ID, a name) may never hold, how a received value is shown in a one-line message,
 * quotes, and percent-coding that answers null where the built-ins throw. Pure: no I/O, and
 * nothing here throws, on any string (lone surrogates included).
 */

/** A character found in a text: its code point, and its UTF-16 index into that text. */
export interface FoundCharacter {
  readonly codePoint: number;
  readonly index: number;
}

/**
 * C0 and C1 controls, lone surrogates, and the line and paragraph separators: they break a
 * log line or a one-line message in two, or are not text at all.
 */
const CONTROL = /[\p{Cc}\p{Cs}\u2028\u2029]/u;

/**
 * Format characters (category Cf) and the other default-ignorable code points. They are drawn
 * as nothing, or reorder what is around them, so `0123\u200B456` looks exactly like the trusted
 * `0123456` and is not: zero-width space and joiners, LRM, RLM and ALM, the bidi embeddings,
 * overrides and isolates (Trojan Source), the BOM, word joiner, soft hyphen, tag characters
 * (U+E0000 block), plus the Hangul fillers, variation selectors and U+034F, which are not Cf
 * but are just as invisible. The cost: emoji sequences joined by ZWJ, and Persian or Indic names
 * written with ZWNJ, are refused too; a party that looks like another is the worse failure.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;

/**
 * What no party may hold: the union of the two above. For refinements elsewhere, e.g.
 * `z.string().refine((text) => !PARTY_FORBIDDEN.test(text))`. No `g` flag, so `test` keeps
 * no state between calls.
 */
export const PARTY_FORBIDDEN = /[\p{Cc}\p{Cs}\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}]/u;

const SHOWN_ESCAPED = new RegExp(PARTY_FORBIDDEN.source, 'gu');

function find(pattern: RegExp, text: string): FoundCharacter | null {
  const match = pattern.exec(text);
  if (match === null) return null;
  return { codePoint: text.codePointAt(match.index) ?? 0, index: match.index };
}

/** The first control character, lone surrogate or line/paragraph separator, or null. */
export const findControl = (text: string): FoundCharacter | null => find(CONTROL, text);

/** The first format (Cf) or other default-ignorable character, or null. */
export const findInvisible = (text: string): FoundCharacter | null => find(INVISIBLE, text);

/** `U+200B`: four hex digits at least, as the Unicode Standard writes code points. */
export const codePointLabel = (codePoint: number): string =>
  `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

/** Names of the characters that are met in practice, by range (first, last, name). */
const NAMES: readonly (readonly [number, number, string])[] = [
  [0x00ad, 0x00ad, 'soft hyphen'],
  [0x034f, 0x034f, 'combining grapheme joiner'],
  [0x061c, 0x061c, 'Arabic letter mark'],
  [0x115f, 0x1160, 'Hangul filler'],
  [0x180b, 0x180d, 'Mongolian variation selector'],
  [0x180e, 0x180e, 'Mongolian vowel separator'],
  [0x200b, 0x200b, 'zero width space'],
  [0x200c, 0x200c, 'zero width non-joiner'],
  [0x200d, 0x200d, 'zero width joiner'],
  [0x200e, 0x200e, 'left-to-right mark'],
  [0x200f, 0x200f, 'right-to-left mark'],
  [0x2028, 0x2028, 'line separator'],
  [0x2029, 0x2029, 'paragraph separator'],
  [0x202a, 0x202a, 'left-to-right embedding'],
  [0x202b, 0x202b, 'right-to-left embedding'],
  [0x202c, 0x202c, 'pop directional formatting'],
  [0x202d, 0x202d, 'left-to-right override'],
  [0x202e, 0x202e, 'right-to-left override'],
  [0x2060, 0x2060, 'word joiner'],
  [0x2061, 0x2064, 'invisible mathematical operator'],
  [0x2066, 0x2066, 'left-to-right isolate'],
  [0x2067, 0x2067, 'right-to-left isolate'],
  [0x2068, 0x2068, 'first strong isolate'],
  [0x2069, 0x2069, 'pop directional isolate'],
  [0x3164, 0x3164, 'Hangul filler'],
  [0xfe00, 0xfe0f, 'variation selector'],
  [0xfeff, 0xfeff, 'zero width no-break space'],
  [0xffa0, 0xffa0, 'Hangul filler'],
  [0xe0001, 0xe0001, 'language tag'],
  [0xe0020, 0xe007f, 'tag character'],
  [0xe0100, 0xe01ef, 'variation selector'],
];

/** What kind of character a code point is, in words: a name where one is known. */
function characterName(codePoint: number): string {
  const named = NAMES.find(([first, last]) => codePoint >= first && codePoint <= last);
  if (named !== undefined) return named[2];
  const c = String.fromCodePoint(codePoint);
  if (/\p{Cc}/u.test(c)) return 'control character';
  if (/\p{Cs}/u.test(c)) return 'lone surrogate';
  if (/\p{Cf}/u.test(c)) return 'format character';
  if (INVISIBLE.test(c)) return 'default-ignorable character';
  return 'character';
}

/** `U+200B (zero width space)`, for a message that names a refused character. */
export const describeCharacter = (codePoint: number): string =>
  `${codePointLabel(codePoint)} (${characterName(codePoint)})`;

/** The first `limit` UTF-16 units of `text`, one fewer where the cut would split a surrogate pair. */
export function cutText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  return /[\uD800-\uDBFF]$/.test(cut) && /^[\uDC00-\uDFFF]/.test(text.slice(limit))
    ? cut.slice(0, -1)
    : cut;
}

/**
 * A received value for a one-line message: quoted, cut to 40 characters with `…`, and with
 * every character a party may not hold written as `\u{200B}`, so the message shows what was
 * sent and can neither break a log line nor hide a character.
 */
export function shown(text: string): string {
  const cut = cutText(text, 40);
  const safe = cut.replace(
    SHOWN_ESCAPED,
    (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`,
  );
  return `"${safe}${cut.length < text.length ? '…' : ''}"`;
}

/** A part of a text: `text.slice(start, end)`. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The span of `span` (all of `text` by default) without its leading and trailing white space. */
export function trimSpan(text: string, span: Span = { start: 0, end: text.length }): Span {
  const inner = text.slice(span.start, span.end);
  const start = span.start + inner.length - inner.trimStart().length;
  return { start, end: Math.max(start, span.start + inner.trimEnd().length) };
}

const DOUBLE_QUOTES = '"“”„';
const SINGLE_QUOTES = "'‘’";

/** A straight or typographic quote mark, double or single. */
export const isQuote = (c: string): boolean =>
  c !== '' && (DOUBLE_QUOTES.includes(c) || SINGLE_QUOTES.includes(c));

/**
 * Where `unquote(text)` lies in `text`, so that an error can point into the value as received.
 * Pairs are matched by family, not by glyph, because vendor documents print values with
 * whatever quotes their word processor made (Season Office's `CALLERID=”Datos Software”`).
 */
export function unquoteSpan(text: string): Span {
  const trimmed = trimSpan(text);
  if (trimmed.end - trimmed.start < 2) return trimmed;
  const first = text.charAt(trimmed.start);
  const last = text.charAt(trimmed.end - 1);
  const pair =
    (DOUBLE_QUOTES.includes(first) && DOUBLE_QUOTES.includes(last)) ||
    (SINGLE_QUOTES.includes(first) && SINGLE_QUOTES.includes(last));
  return pair ? { start: trimmed.start + 1, end: trimmed.end - 1 } : trimmed;
}

/** Trims, then strips one enclosing pair of quotes; what is inside them is kept as it is. */
export function unquote(text: string): string {
  const { start, end } = unquoteSpan(text);
  return text.slice(start, end);
}

/**
 * The inverse of `unquote` for a formatter: `value` in double quotes when unquoting would
 * otherwise change it (a quote mark at either end, or white space that trimming would drop).
 */
export function quoteIfNeeded(value: string): string {
  const edge = isQuote(value.charAt(0)) || isQuote(value.charAt(value.length - 1));
  return edge || value !== value.trim() ? `"${value}"` : value;
}

/** `decodeURIComponent` and `encodeURIComponent` throw URIError; here they answer null. */
function attempt(code: (text: string) => string, text: string): string | null {
  try {
    return code(text);
  } catch {
    return null;
  }
}

/** Percent-decodes; null for a malformed escape or one that is not UTF-8. `+` stays a plus. */
export const percentDecode = (text: string): string | null => attempt(decodeURIComponent, text);

/** Decodes as an HTML form does: `+` is a space, then percent-escapes; null when malformed. */
export const formDecode = (text: string): string | null => percentDecode(text.replaceAll('+', ' '));

/** Percent-encodes as `encodeURIComponent` does; null when `text` holds a lone surrogate. */
export const percentEncode = (text: string): string | null => attempt(encodeURIComponent, text);

/** Percent-encodes anything: a lone surrogate, which has no UTF-8 form, becomes U+FFFD. */
export const percentEncodeLossy = (text: string): string =>
  percentEncode(text) ?? encodeURIComponent(text.replace(/\p{Cs}/gu, '\uFFFD'));

/**
 * Finds a word in a table of spellings (the name first, then its other spellings), ignoring
 * case and surrounding white space, and answers the name; null when no spelling matches.
 */
export function matchSpelling<T extends string>(
  table: readonly (readonly [T, ...string[]])[],
  text: string,
): T | null {
  const lower = text.trim().toLowerCase();
  return (
    table.find((spellings) =>
      spellings.some((spelling) => spelling.toLowerCase() === lower),
    )?.[0] ?? null
  );
}
