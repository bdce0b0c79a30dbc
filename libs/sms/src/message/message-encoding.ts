/** The encoding an SMS text needs. */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** The encoding of a text and how many SMS segments it takes. */
export interface SmsTextMeasure {
  encoding: SmsEncoding;
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
}

/** Units one segment holds: a text alone, and each part of a concatenated text (less its header). */
interface SegmentSize {
  encoding: SmsEncoding;
  single: number;
  concatenated: number;
}

const GSM_7: SegmentSize = {
  encoding: 'GSM-7',
  single: 160,
  concatenated: 153,
};
const UCS_2: SegmentSize = { encoding: 'UCS-2', single: 70, concatenated: 67 };

// GSM 03.38: the basic character set takes one septet; the extension table an escape septet plus
// its own.
const GSM_SEPTETS = new Map<string, number>([
  ...Array.from(
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
      '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
    (char): [string, number] => [char, 1],
  ),
  ...Array.from('^{}\\[~]|€\f', (char): [string, number] => [char, 2]),
]);

/**
 * Works out whether a text fits GSM-7 and how many segments it needs: 160 septets or 70 UTF-16
 * code units in one segment, else 153 or 67 in each. An extension character's escape pair and a
 * surrogate pair (an emoji) are never split across two parts: such a pair that does not fit at the
 * end of a part moves whole to the next one.
 */
export function measureSmsText(text: string): SmsTextMeasure {
  return measureGsm7(text) ?? measureUcs2(text);
}

function measureGsm7(text: string): SmsTextMeasure | undefined {
  const counter = new SegmentCounter(GSM_7);
  for (const char of text) {
    const septets = GSM_SEPTETS.get(char);
    if (septets === undefined) return undefined;
    counter.add(septets);
  }
  return counter.measure();
}

function measureUcs2(text: string): SmsTextMeasure {
  const counter = new SegmentCounter(UCS_2);
  // Iterating by code point keeps a surrogate pair (length 2) together.
  for (const char of text) counter.add(char.length);
  return counter.measure();
}

/** Fills concatenated parts one character at a time; a character that does not fit starts the next. */
class SegmentCounter {
  private units = 0;
  private parts = 1;
  private inPart = 0;

  constructor(private readonly size: SegmentSize) {}

  add(width: number): void {
    this.units += width;
    this.inPart += width;
    if (this.inPart > this.size.concatenated) {
      this.parts += 1;
      this.inPart = width;
    }
  }

  measure(): SmsTextMeasure {
    return {
      encoding: this.size.encoding,
      units: this.units,
      segments: this.units <= this.size.single ? 1 : this.parts,
    };
  }
}
