import { SmsEvents } from './sms-events.js';
import type { SmsEvent } from './sms-event.interface.js';

const attempt: SmsEvent = {
  type: 'attempt',
  provider: 'Smstools',
  result: '2xx',
};

describe('SmsEvents', () => {
  it('tells every subscribed listener, until it unsubscribes', () => {
    const events = new SmsEvents();
    const seen: SmsEvent[] = [];
    const stop = events.subscribe((event) => seen.push(event));
    events.emit(attempt);
    stop();
    events.emit(attempt);
    expect(seen).toEqual([attempt]);
  });

  it('goes on to the next listener when one throws', () => {
    const events = new SmsEvents();
    const seen: SmsEvent[] = [];
    events.subscribe(() => {
      throw new Error('broken counter');
    });
    events.subscribe((event) => seen.push(event));
    expect(() => events.emit(attempt)).not.toThrow();
    expect(seen).toEqual([attempt]);
  });
});
