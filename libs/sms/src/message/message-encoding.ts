/** The encoding an SMS text needs. */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** The encoding of a text and how many SMS segments it takes. */
export interface SmsTextMeasure {
  encoding: SmsEncoding;
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
}

// GSM 03.38 basic character set (one septet each).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
// GSM 03.38 extension table: each takes an escape septet plus its own.
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

/** Works out whether a text fits GSM-7 and how many segments it needs (160/153 or 70/67). */
export function measureSmsText(text: string): SmsTextMeasure {
  let septets = 0;
  for (const char of text) {
    if (GSM_BASIC.has(char)) septets += 1;
    else if (GSM_EXTENDED.has(char)) septets += 2;
    else return measureUcs2(text);
  }
  return {
    encoding: 'GSM-7',
    units: septets,
    segments: septets <= 160 ? 1 : Math.ceil(septets / 153),
  };
}

function measureUcs2(text: string): SmsTextMeasure {
  const units = text.length;
  return {
    encoding: 'UCS-2',
    units,
    segments: units <= 70 ? 1 : Math.ceil(units / 67),
  };
}
