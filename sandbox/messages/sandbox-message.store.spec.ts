import type { SandboxMessage } from './sandbox-message.interface.js';
import {
  SandboxMessageStore,
  type SandboxStoreEvent,
} from './sandbox-message.store.js';

function message(
  id: number,
  overrides: Partial<SandboxMessage> = {},
): SandboxMessage {
  return {
    id: String(id),
    provider: 'GatewayApi',
    receivedAt: new Date(0).toISOString(),
    to: '+4512345678',
    from: 'FoxIDs',
    text: `Message ${id}`,
    encoding: 'GSM-7',
    segments: 1,
    environment: null,
    request: { method: 'POST', path: '/', headers: {}, body: '' },
    deliveryReport: null,
    ...overrides,
  };
}

describe('SandboxMessageStore', () => {
  it('keeps the newest messages up to its capacity, newest first', () => {
    const store = new SandboxMessageStore(3);
    for (let id = 1; id <= 5; id++) store.add(message(id));

    expect(store.list().map((m) => m.id)).toEqual(['5', '4', '3']);
  });

  it('keeps 1000 messages by default', () => {
    const store = new SandboxMessageStore();
    for (let id = 1; id <= 1001; id++) store.add(message(id));

    const kept = store.list();
    expect(kept).toHaveLength(1000);
    expect(kept.at(-1)?.id).toBe('2');
  });

  it('filters by digits of the number and by provider', () => {
    const store = new SandboxMessageStore();
    store.add(message(1));
    store.add(message(2, { to: '+4798765432', provider: 'Smstools' }));
    store.add(message(3, { provider: 'Smstools' }));

    expect(store.list({ phone: '+45 1234' }).map((m) => m.id)).toEqual([
      '3',
      '1',
    ]);
    expect(store.list({ provider: 'Smstools' }).map((m) => m.id)).toEqual([
      '3',
      '2',
    ]);
    expect(
      store.list({ phone: '4512', provider: 'GatewayApi' }).map((m) => m.id),
    ).toEqual(['1']);
  });

  it('tells listeners of each change in sequence, and stops when asked', () => {
    const store = new SandboxMessageStore();
    const events: SandboxStoreEvent[] = [];
    const stop = store.subscribe((event) => events.push(event));
    store.add(message(1));
    store.clear();
    stop();
    store.add(message(2));

    expect(events).toEqual([
      { type: 'added', sequence: 1, message: message(1) },
      { type: 'cleared', sequence: 2 },
    ]);
  });

  it('replays what came after a position, a clear first', () => {
    const store = new SandboxMessageStore();
    store.add(message(1));
    store.clear();
    store.add(message(2));
    store.add(message(3));

    expect(store.eventsAfter(1).map((e) => [e.type, e.sequence])).toEqual([
      ['cleared', 2],
      ['added', 3],
      ['added', 4],
    ]);
    expect(store.eventsAfter(3).map((e) => e.sequence)).toEqual([4]);
    expect(store.eventsAfter(store.lastSequence)).toEqual([]);
  });
});
