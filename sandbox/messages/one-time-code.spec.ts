import { findOneTimeCodes, splitOneTimeCodes } from './one-time-code.js';

describe('one-time codes', () => {
  it.each([
    ['Your code is 482913', ['482913']],
    ['Code: 4829. Valid 5 minutes.', ['4829']],
    ['Koden er K7Q2ZP', ['K7Q2ZP']],
    ['Use 12345678 or AB12CD34', ['12345678', 'AB12CD34']],
    ['482913 and 482913 again', ['482913']],
  ])('finds the codes in %j', (text, codes) => {
    expect(findOneTimeCodes(text)).toEqual(codes);
  });

  it.each([
    ['three digits', 'Code 123'],
    ['nine digits', 'Ref 123456789'],
    ['a phone number', 'Call +4512345678'],
    ['a shouted word', 'URGENT: log in'],
    ['lower-case letters and digits', 'Code ab12cd'],
    ['digits inside a word', 'Order x1234y'],
    ['digits after a letter', 'Room æ1234'],
  ])('ignores %s', (_case, text) => {
    expect(findOneTimeCodes(text)).toEqual([]);
  });

  it('cuts the text into plain and code runs that rebuild it', () => {
    const text = 'Code 4829 or K7Q2ZP.';

    const parts = splitOneTimeCodes(text);

    expect(parts).toEqual([
      { text: 'Code ', code: false },
      { text: '4829', code: true },
      { text: ' or ', code: false },
      { text: 'K7Q2ZP', code: true },
      { text: '.', code: false },
    ]);
    expect(parts.map((part) => part.text).join('')).toBe(text);
  });
});
