import fc from 'fast-check';

/** Arbitraries shared by the property tests of text.ts and of the dialects that use it. */

/** Any UTF-16 code unit, lone surrogates included. */
export const codeUnits = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
});

const scalarValues = (pattern: RegExp): number[] =>
  Array.from({ length: 0x110000 }, (_, codePoint) => codePoint).filter(
    (codePoint) =>
      (codePoint < 0xd800 || codePoint > 0xdfff) && pattern.test(String.fromCodePoint(codePoint)),
  );

/** Every format character (Cf), found once by scanning all of Unicode. */
export const FORMAT_CODE_POINTS: readonly number[] = scalarValues(/\p{Cf}/u);

/** Every Cf and other default-ignorable code point: what text.ts calls invisible. */
export const INVISIBLE_CODE_POINTS: readonly number[] = scalarValues(
  /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u,
);

/**
 * One invisible character. Half the draws come from the BMP, where ZWSP, LRM and the BOM live,
 * so that the 4096 code points of the tag block do not crowd them out.
 */
export const invisibleCharacter: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(...INVISIBLE_CODE_POINTS.filter((codePoint) => codePoint < 0x10000)),
    fc.constantFrom(...FORMAT_CODE_POINTS),
    fc.constantFrom(...INVISIBLE_CODE_POINTS),
  )
  .map((codePoint) => String.fromCodePoint(codePoint));

/** Characters that are invisible in every font, met in practice, with the names text.ts gives them. */
export const NAMED_INVISIBLES: readonly (readonly [number, string])[] = [
  [0x200b, 'zero width space'],
  [0x200c, 'zero width non-joiner'],
  [0x200d, 'zero width joiner'],
  [0x200e, 'left-to-right mark'],
  [0x200f, 'right-to-left mark'],
  [0x061c, 'Arabic letter mark'],
  [0xfeff, 'zero width no-break space'],
  [0x2060, 'word joiner'],
  [0x00ad, 'soft hyphen'],
  [0x202e, 'right-to-left override'],
  [0x2066, 'left-to-right isolate'],
  [0xe0041, 'tag character'],
  [0xe0001, 'language tag'],
  [0x3164, 'Hangul filler'],
  [0xfe0f, 'variation selector'],
  [0x0600, 'format character'],
  [0xe0fff, 'default-ignorable character'],
];
