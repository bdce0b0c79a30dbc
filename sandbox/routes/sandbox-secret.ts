import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares a presented credential with the expected one without leaking timing. */
export function sameSecret(
  presented: string | undefined,
  expected: string,
): boolean {
  if (presented === undefined) return false;
  // Hashing first gives equal lengths, which timingSafeEqual needs.
  return timingSafeEqual(digest(presented), digest(expected));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
