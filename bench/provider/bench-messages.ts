import { randomInt } from 'node:crypto';

/** The destination of sends whose bytes must be the same every time. */
export const FIXED_PHONE = '+4512345678';

/** A login code message as an identity platform sends it: GSM-7, one segment. */
export const FIXED_MESSAGE =
  'Your Acme login code is 482913. It expires in 5 minutes. Do not share it.';

/** A Danish mobile number (8 digits, the first 2 to 9), in E.164. */
export function randomPhone(): string {
  return `+45${randomInt(2, 10)}${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
}

/** A login code message with a fresh six-digit code. */
export function randomLoginMessage(): string {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  return `Your Acme login code is ${code}. It expires in 5 minutes. Do not share it.`;
}
