import { measureSmsText } from './message-encoding.js';

describe('measureSmsText', () => {
  it.each([
    ['', 'GSM-7', 1, 0],
    ['a'.repeat(160), 'GSM-7', 1, 160],
    ['a'.repeat(161), 'GSM-7', 2, 161],
    ['a'.repeat(306), 'GSM-7', 2, 306],
    ['a'.repeat(307), 'GSM-7', 3, 307],
    ['€'.repeat(80), 'GSM-7', 1, 160],
    ['€'.repeat(81), 'GSM-7', 2, 162],
    ['^{}\\[]~|€', 'GSM-7', 1, 18],
    ['Din kode er 123456. Æble på ø.', 'GSM-7', 1, 30],
    ['ж'.repeat(70), 'UCS-2', 1, 70],
    ['ж'.repeat(71), 'UCS-2', 2, 71],
    ['a'.repeat(134) + 'ж', 'UCS-2', 3, 135],
    ['Code 🙂', 'UCS-2', 1, 7],
    // A pair that would straddle a part boundary moves whole to the next part.
    ['a'.repeat(152) + '€' + 'a'.repeat(152), 'GSM-7', 3, 306],
    ['ж'.repeat(66) + '🙂' + 'ж'.repeat(66), 'UCS-2', 3, 134],
    ['a'.repeat(158) + '€', 'GSM-7', 1, 160],
    ['ж'.repeat(68) + '🙂', 'UCS-2', 1, 70],
  ])(
    'measures %j as %s in %i segment(s)',
    (text, encoding, segments, units) => {
      expect(measureSmsText(text)).toEqual({ encoding, segments, units });
    },
  );
});
