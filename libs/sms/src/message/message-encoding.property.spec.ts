import fc from 'fast-check';
import { measureSmsText } from './message-encoding.js';

const RUNS = 500;

// Written out again here, from GSM 03.38, so that the test does not trust the code's own tables.
const GSM_BASIC = [
  ...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?',
  ...'¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
];
const GSM_EXTENDED = [...'^{}\\[~]|€\f'];
const GSM = new Set([...GSM_BASIC, ...GSM_EXTENDED]);

/** Texts of GSM characters only, long enough to cross the one-segment limits. */
const gsmText = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...GSM_BASIC) },
      fc.constantFrom(...GSM_EXTENDED),
    ),
    { maxLength: 700 },
  )
  .map((chars) => chars.join(''));

/** GSM texts with one character from outside the sets (emoji and astral characters included). */
const mixedText = fc
  .tuple(
    gsmText,
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }),
    fc.nat(),
  )
  .filter(([, foreign]) => [...foreign].some((char) => !GSM.has(char)))
  .map(([text, foreign, at]) => {
    const cut = at % (text.length + 1);
    return text.slice(0, cut) + foreign + text.slice(cut);
  });

const anyText = fc.oneof(
  gsmText,
  mixedText,
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
);

describe('measureSmsText, for any text', () => {
  it('never throws, and reports at least one segment for a non-empty text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const measure = measureSmsText(text);
        expect(['GSM-7', 'UCS-2']).toContain(measure.encoding);
        expect(Number.isInteger(measure.segments)).toBe(true);
        if (text.length > 0) expect(measure.segments).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: RUNS },
    );
  });

  it('chooses GSM-7 exactly when every character is in the GSM sets', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const allGsm = [...text].every((char) => GSM.has(char));
        expect(measureSmsText(text).encoding).toBe(allGsm ? 'GSM-7' : 'UCS-2');
      }),
      { numRuns: RUNS },
    );
  });

  it('counts septets, extension characters twice, into 160, or 153 (152 before an unsplit pair) a segment', () => {
    fc.assert(
      fc.property(gsmText, (text) => {
        const septets = [...text].reduce(
          (sum, char) => sum + (GSM_EXTENDED.includes(char) ? 2 : 1),
          0,
        );
        const measure = measureSmsText(text);
        expect(measure.units).toBe(septets);
        if (septets <= 160) {
          expect(measure.segments).toBe(1);
        } else {
          // Enough segments for every septet; every part but the last is full, or one short where
          // an escape pair moved whole to the next part.
          expect(measure.segments * 153).toBeGreaterThanOrEqual(septets);
          expect((measure.segments - 1) * 152).toBeLessThan(septets);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('counts UTF-16 code units into 70, or 67 (66 before an unsplit surrogate pair) a segment', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        const measure = measureSmsText(text);
        expect(measure.encoding).toBe('UCS-2');
        expect(measure.units).toBe(text.length);
        if (text.length <= 70) {
          expect(measure.segments).toBe(1);
        } else {
          expect(measure.segments * 67).toBeGreaterThanOrEqual(text.length);
          expect((measure.segments - 1) * 66).toBeLessThan(text.length);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('never takes fewer segments when a text grows', () => {
    fc.assert(
      fc.property(anyText, anyText, (text, more) => {
        expect(measureSmsText(text + more).segments).toBeGreaterThanOrEqual(
          measureSmsText(text).segments,
        );
      }),
      { numRuns: RUNS },
    );
  });
});
