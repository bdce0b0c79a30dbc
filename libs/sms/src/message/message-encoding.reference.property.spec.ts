import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { measureSmsText } from './message-encoding.js';

const RUNS = 400;

// Written out again here, from GSM 03.38, so that the test does not trust the code's own tables.
const GSM_BASIC = Array.from(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENDED = Array.from('^{}\\[~]|€\f');
// Characters outside GSM 03.38, each its own grapheme: the reference calculator keeps a grapheme
// cluster (an emoji with a skin tone, a flag) in one segment, which no SMS centre is held to; a
// surrogate pair is the unit both references and the library keep whole.
const NON_GSM_BMP = Array.from('çжщ中文ñ’“”–…ÿŁœ€ÀÈ').filter(
  (char) => !GSM_BASIC.includes(char) && !GSM_EXTENDED.includes(char),
);
const NON_GSM_ASTRAL = Array.from('😀🎉👍🚀🙂𝄞𠀀🧪');

/** What Twilio's calculator says: encoding, segments, and septets or UTF-16 code units. */
function reference(text: string): {
  encoding: string;
  segments: number;
  units: number;
} {
  const message = new SegmentedMessage(text);
  const bitsPerUnit = message.encodingName === 'GSM-7' ? 7 : 16;
  return {
    encoding: message.encodingName,
    segments: message.segmentsCount,
    units: message.messageSize / bitsPerUnit,
  };
}

/** Texts of `chars`, every length from 0 to `maxLength` characters equally likely. */
function textOf(
  chars: fc.Arbitrary<string>,
  maxLength: number,
): fc.Arbitrary<string> {
  return fc
    .integer({ min: 0, max: maxLength })
    .chain((length) =>
      fc.array(chars, { minLength: length, maxLength: length }),
    )
    .map((picked) => picked.join(''));
}

const basic = fc.constantFrom(...GSM_BASIC);
const extension = fc.constantFrom(...GSM_EXTENDED);
const nonGsmBmp = fc.constantFrom(...NON_GSM_BMP);
const emoji = fc.constantFrom(...NON_GSM_ASTRAL);
const nonGsm = fc.oneof(nonGsmBmp, emoji);

/** GSM-7 texts up to 10 segments and a little over, extension characters at several densities. */
const gsmText = fc.oneof(
  textOf(
    fc.oneof(
      { weight: 9, arbitrary: basic },
      { weight: 1, arbitrary: extension },
    ),
    1450,
  ),
  textOf(fc.oneof(basic, extension), 1050),
  textOf(extension, 770),
);

/** UCS-2 texts up to 10 segments and more: GSM characters mixed with BMP characters and emoji. */
const ucsText = fc
  .tuple(
    textOf(
      fc.oneof({ weight: 3, arbitrary: basic }, extension, nonGsmBmp, {
        weight: 2,
        arbitrary: emoji,
      }),
      640,
    ),
    nonGsm,
    fc.nat(),
  )
  .map(([text, foreign, at]) => {
    const chars = Array.from(text);
    chars.splice(at % (chars.length + 1), 0, foreign);
    return chars.join('');
  });

/** Texts whose two-unit character sits at, just before or just after every segment boundary. */
function boundaryTexts(): string[] {
  const texts: string[] = [];
  const around = (limit: number) => [
    limit - 3,
    limit - 2,
    limit - 1,
    limit,
    limit + 1,
  ];
  for (let segment = 1; segment <= 10; segment += 1) {
    for (const prefix of around(153 * segment)) {
      for (const suffix of [0, 1, 2, 151, 152, 153]) {
        texts.push('a'.repeat(prefix) + '€' + 'a'.repeat(suffix));
        texts.push(
          'a'.repeat(prefix % 2) +
            '^'.repeat(prefix >> 1) +
            '|' +
            'a'.repeat(suffix),
        );
      }
    }
    for (const prefix of around(67 * segment)) {
      for (const suffix of [0, 1, 2, 65, 66, 67]) {
        texts.push('ж'.repeat(prefix) + '😀' + 'ж'.repeat(suffix));
        texts.push('a'.repeat(prefix) + '🎉' + 'b'.repeat(suffix));
      }
    }
  }
  for (const length of [158, 159, 160, 161, 162]) {
    texts.push(
      'a'.repeat(length),
      'a'.repeat(length - 2) + '€',
      '€'.repeat(length >> 1),
    );
  }
  for (const length of [68, 69, 70, 71, 72]) {
    texts.push(
      'ж'.repeat(length),
      'ж'.repeat(length - 2) + '😀',
      '😀'.repeat(length >> 1),
    );
  }
  return texts;
}

describe('measureSmsText, against the reference calculator (sms-segments-calculator)', () => {
  it('agrees on encoding, units and segments for GSM-7 texts up to ten segments', () => {
    fc.assert(
      fc.property(gsmText, (text) => {
        expect(measureSmsText(text)).toEqual(reference(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('agrees on encoding, units and segments for UCS-2 texts with emoji up to ten segments', () => {
    fc.assert(
      fc.property(ucsText, (text) => {
        expect(measureSmsText(text)).toEqual(reference(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('agrees at every segment boundary of both encodings, pairs straddling it included', () => {
    const disagreements = boundaryTexts()
      .map((text) => ({
        text,
        ours: measureSmsText(text),
        reference: reference(text),
      }))
      .filter(({ ours, reference }) => ours.segments !== reference.segments)
      .map(({ text, ours, reference }) => ({
        units: reference.units,
        encoding: reference.encoding,
        ours: ours.segments,
        reference: reference.segments,
        start: text.slice(0, 8),
      }));

    expect(disagreements).toEqual([]);
  });
});
