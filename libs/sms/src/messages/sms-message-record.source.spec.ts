import type { SmsMessageRecord } from './sms-message-record.interface.js';
import { InMemorySmsMessageRecordSource } from './sms-message-record.source.js';

function recordOf(id: string): SmsMessageRecord {
  const at = new Date('2026-12-06T08:00:00Z');
  return {
    id,
    environment: null,
    provider: 'GatewayApi',
    messageId: null,
    phone: '+45•••••678',
    phoneHash: 'hash',
    encoding: 'GSM-7',
    segments: 1,
    status: 'accepted',
    providerStatus: null,
    errorCode: null,
    createdAt: at,
    updatedAt: at,
    failoverFrom: null,
    events: [{ status: 'accepted', providerStatus: null, at }],
  };
}

describe('InMemorySmsMessageRecordSource', () => {
  it('keeps at most maxRecords, dropping the oldest for each new one', async () => {
    const source = new InMemorySmsMessageRecordSource(3);
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      await source.create(recordOf(id));
    }

    expect(source.size).toBe(3);
    expect(await source.get('a')).toBeUndefined();
    expect(await source.get('b')).toBeUndefined();
    expect((await source.get('e'))?.id).toBe('e');
  });

  it('hands out copies, so that a reader cannot change what is kept', async () => {
    const source = new InMemorySmsMessageRecordSource();
    await source.create(recordOf('a'));

    const read = await source.get('a');
    read!.status = 'delivered';

    expect((await source.get('a'))?.status).toBe('accepted');
  });
});
