import { acceptedRequestId } from './request-id.middleware.js';

describe('acceptedRequestId', () => {
  it('accepts 1 to 128 visible ASCII characters', () => {
    for (const id of ['a', 'checkout-42/attempt:1', '~!"#'.repeat(32)])
      expect(acceptedRequestId(id)).toBe(id);
  });

  it('refuses an empty, too long, spaced, non-ASCII or repeated header', () => {
    for (const id of [
      '',
      'x'.repeat(129),
      'a b',
      'line\nbreak',
      'ünï',
      ['a', 'b'],
      undefined,
    ])
      expect(acceptedRequestId(id)).toBeUndefined();
  });
});
