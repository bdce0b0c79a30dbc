import { SmsNotConfiguredError } from '../errors/sms-not-configured.error.js';
import {
  SmsProviderError,
  SmsTimeoutError,
} from '../errors/sms-provider.error.js';
import { SmsValidationError } from '../errors/sms-validation.error.js';
import type { SmsEvent } from '../events/sms-event.interface.js';
import { SmsEvents } from '../events/sms-events.js';
import type { PreparedSend } from './prepared-send.interface.js';
import { SmsSendEventEmitter } from './sms-send-event.emitter.js';
import { statusResult } from './sms-send.reporter.js';

const send = {
  resolved: {
    settings: { type: 'Smstools' },
    source: 'environment',
    environment: 'acme',
  },
} as unknown as PreparedSend;

describe('SmsSendEventEmitter', () => {
  let seen: SmsEvent[];
  let emitter: SmsSendEventEmitter;

  beforeEach(() => {
    const events = new SmsEvents();
    seen = [];
    events.subscribe((event) => seen.push(event));
    emitter = new SmsSendEventEmitter(events);
  });

  it('reports each way a send ends as its outcome, with the provider and source but no environment', () => {
    const started = performance.now();
    const refused = new SmsProviderError('refused', {
      provider: 'Smstools',
      status: 400,
      maybeSent: false,
    });
    const timedOut = new SmsTimeoutError('no answer', {
      provider: 'Smstools',
      maybeSent: true,
    });

    emitter.sent(started, { provider: 'Smstools', source: 'environment' });
    emitter.failed(started, send.resolved, refused);
    emitter.failed(started, send.resolved, timedOut);
    emitter.failed(started, undefined, new SmsValidationError('phone', 'bad'));
    emitter.failed(started, undefined, new SmsNotConfiguredError('acme'));

    expect(seen.map((e) => e.type === 'send' && e.outcome)).toEqual([
      'sent',
      'not_sent',
      'maybe_sent',
      'invalid',
      'not_configured',
    ]);
    expect(seen[0]).toEqual({
      type: 'send',
      provider: 'Smstools',
      source: 'environment',
      outcome: 'sent',
      durationSeconds: expect.any(Number),
    });
    expect(seen[3]).toMatchObject({ provider: null, source: null });
    expect(JSON.stringify(seen)).not.toContain('acme');
  });

  it('reports a failed failover with the provider tried last, the fallback', () => {
    const fallbackFailed = new SmsProviderError('refused', {
      provider: 'GatewayApi',
      status: 503,
      maybeSent: false,
      failoverFrom: 'Smstools',
    });

    emitter.failed(performance.now(), send.resolved, fallbackFailed);

    expect(seen[0]).toMatchObject({
      provider: 'GatewayApi',
      outcome: 'not_sent',
    });
  });

  it('reports an exchange with its result', () => {
    emitter.attempt(send, '5xx');

    expect(seen).toEqual([
      { type: 'attempt', provider: 'Smstools', result: '5xx' },
    ]);
  });
});

describe('statusResult', () => {
  it('counts an answer by its status class; a 1xx or 3xx with the refusals', () => {
    expect([200, 204, 301, 400, 429, 500, 503].map(statusResult)).toEqual([
      '2xx',
      '2xx',
      '4xx',
      '4xx',
      '4xx',
      '5xx',
      '5xx',
    ]);
  });
});
