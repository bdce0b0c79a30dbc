import { SmsRetryPolicy, type SmsAttemptFailure } from './sms-retry.policy.js';

const gateway = (failure: Partial<SmsAttemptFailure>): SmsAttemptFailure => ({
  provider: 'GatewayApi',
  kind: 'refused',
  maybeSent: false,
  ...failure,
});
const telia = (failure: Partial<SmsAttemptFailure>): SmsAttemptFailure =>
  gateway({ provider: 'TeliaSmsGateway', ...failure });

describe('SmsRetryPolicy', () => {
  const policy = new SmsRetryPolicy({ retries: 2, random: () => 0.5 });

  describe('what may be tried again', () => {
    it.each([
      ['DNS failure', gateway({ kind: 'dns' })],
      ['connection refused', gateway({ kind: 'connect' })],
      ['TLS handshake failure', gateway({ kind: 'tls' })],
      ['timeout before the request was written', gateway({ kind: 'timeout' })],
      ['reset before the request was written', gateway({ kind: 'reset' })],
      ['429', gateway({ status: 429 })],
      ['429 with Retry-After', gateway({ status: 429, retryAfterSeconds: 1 })],
      ['503 with Retry-After', gateway({ status: 503, retryAfterSeconds: 0 })],
      [
        "Telia's POL3003 rate limit",
        telia({ status: 403, providerCode: 'POL3003' }),
      ],
      [
        'a Telia 500 (the same clientCorrelator is deduplicated)',
        telia({ status: 500, maybeSent: true }),
      ],
      [
        'a Telia reset after the request was written',
        telia({ kind: 'reset', maybeSent: true }),
      ],
    ])('retries a %s', (_name, failure) => {
      expect(policy.isSafeToRetry(failure)).toBe(true);
    });

    it.each([
      ['500', gateway({ status: 500, maybeSent: true })],
      ['503 without Retry-After', gateway({ status: 503, maybeSent: true })],
      ['502', gateway({ status: 502, maybeSent: true })],
      ['read timeout', gateway({ kind: 'timeout', maybeSent: true })],
      [
        'reset after the request was written',
        gateway({ kind: 'reset', maybeSent: true }),
      ],
      ['400', gateway({ status: 400 })],
      ['401', gateway({ status: 401 })],
      ['403', gateway({ status: 403 })],
      ['422', gateway({ status: 422 })],
      ['200 with an error body', gateway({ status: 200 })],
      ['Telia 403 without POL3003', telia({ status: 403 })],
      [
        'POL3003 from a provider other than Telia',
        gateway({ status: 403, providerCode: 'POL3003' }),
      ],
      ['redirect', gateway({ kind: 'redirect', status: 302 })],
      ['too-large answer', gateway({ kind: 'too-large', status: 200 })],
      ['refused address', gateway({ kind: 'address-refused' })],
      ['refused address, Telia', telia({ kind: 'address-refused' })],
    ])('never retries a %s', (_name, failure) => {
      expect(policy.isSafeToRetry(failure)).toBe(false);
      expect(policy.decide(failure, 1, 30_000)).toEqual({
        retry: false,
        reason: 'not-safe',
      });
    });
  });

  describe('when and how often', () => {
    const refusedConnection = gateway({ kind: 'connect' });

    it('makes at most `retries` more attempts', () => {
      expect(policy.decide(refusedConnection, 1, 30_000).retry).toBe(true);
      expect(policy.decide(refusedConnection, 2, 30_000).retry).toBe(true);
      expect(policy.decide(refusedConnection, 3, 30_000)).toEqual({
        retry: false,
        reason: 'no-attempts-left',
      });
      expect(
        new SmsRetryPolicy({ retries: 0 }).decide(refusedConnection, 1, 30_000),
      ).toEqual({ retry: false, reason: 'no-attempts-left' });
    });

    it('backs off exponentially, half fixed and half random, up to the ceiling', () => {
      const delays = (random: number) => {
        const jittered = new SmsRetryPolicy({
          retries: 10,
          baseDelayMs: 100,
          maxDelayMs: 1_000,
          random: () => random,
        });
        return [1, 2, 3, 4, 5, 6].map((attempt) => {
          const decision = jittered.decide(refusedConnection, attempt, 60_000);
          return decision.retry ? decision.delayMs : undefined;
        });
      };
      expect(delays(0)).toEqual([50, 100, 200, 400, 500, 500]);
      expect(delays(0.999_999)).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    });

    it("waits at least the provider's Retry-After", () => {
      expect(
        policy.decide(
          gateway({ status: 429, retryAfterSeconds: 3 }),
          1,
          30_000,
        ),
      ).toEqual({ retry: true, delayMs: 3_000 });
    });

    it('gives up when the wait would not leave time for another attempt', () => {
      expect(
        policy.decide(gateway({ status: 429, retryAfterSeconds: 3 }), 1, 3_050),
      ).toEqual({ retry: false, reason: 'no-time-left' });
      expect(
        policy.decide(gateway({ status: 429, retryAfterSeconds: 3 }), 1, 3_100),
      ).toEqual({ retry: true, delayMs: 3_000 });
      expect(policy.decide(refusedConnection, 1, 0)).toEqual({
        retry: false,
        reason: 'no-time-left',
      });
    });
  });
});
