import { normalizePhoneNumber } from './phone-number.js';
import { SmsValidationError } from '../errors/sms-validation.error.js';

describe('normalizePhoneNumber', () => {
  it.each([
    ['+4512345678', '+4512345678', 'DK', '45'],
    ['  +45 12 34 56 78 ', '+4512345678', 'DK', '45'],
    ['+1 (415) 555-2671', '+14155552671', 'US', '1'],
    ['+44.20.7946.0958', '+442079460958', 'GB', '44'],
  ])('normalises %j to %s', (input, e164, country, countryCallingCode) => {
    expect(normalizePhoneNumber(input)).toEqual({
      e164,
      digits: e164.slice(1),
      country,
      countryCallingCode,
    });
  });

  it.each([
    ['', 'required'],
    [undefined, 'required'],
    [4512345678, 'required'],
    ['4512345678', 'E.164'],
    ['+0512345678', 'E.164'],
    ['+45 1234 5678 9012 3456', 'E.164'],
    ['+45abc12345', 'E.164'],
    ['+451', 'possible'],
    ['+4512', 'possible'],
  ])('refuses %j (%s)', (input, reason) => {
    let error: unknown;
    try {
      normalizePhoneNumber(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SmsValidationError);
    expect((error as SmsValidationError).field).toBe('phone');
    expect((error as Error).message).toContain(reason);
  });
});
