import { randomInt } from 'node:crypto';

/** A code of `length` characters drawn uniformly from `alphabet` with the system's CSPRNG. */
export function generateSmsCode(alphabet: string, length: number): string {
  let code = '';
  for (let i = 0; i < length; i += 1)
    code += alphabet[randomInt(alphabet.length)];
  return code;
}
