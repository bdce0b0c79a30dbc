import { normalizePhoneNumber } from '../message/phone-number.js';
import { phoneHint } from './phone-hint.js';
import type { SmsMessageRecord } from './sms-message-record.interface.js';
import { applySmsDeliveryReport } from './sms-message-status.rules.js';

const T0 = new Date('2030-01-01T12:00:00.000Z');
const T1 = new Date('2030-01-01T12:00:01.000Z');

function accepted(): SmsMessageRecord {
  return {
    id: 'id-1',
    environment: null,
    provider: 'GatewayApi',
    messageId: '1',
    phone: '+45•••••678',
    phoneHash: 'h',
    encoding: 'GSM-7',
    segments: 1,
    status: 'accepted',
    providerStatus: null,
    errorCode: null,
    createdAt: T0,
    updatedAt: T0,
    failoverFrom: null,
    events: [{ status: 'accepted', providerStatus: null, at: T0 }],
  };
}

describe('applySmsDeliveryReport', () => {
  it('moves forward and keeps the history', () => {
    const pending = applySmsDeliveryReport(
      accepted(),
      { status: 'pending', providerStatus: 'ENROUTE' },
      T1,
    )!;
    expect(pending).toMatchObject({
      status: 'pending',
      providerStatus: 'ENROUTE',
      updatedAt: T1,
    });
    const failed = applySmsDeliveryReport(
      pending,
      {
        status: 'failed',
        providerStatus: 'UNDELIVERABLE',
        errorCode: '0x1013',
      },
      T1,
    )!;
    expect(failed).toMatchObject({ status: 'failed', errorCode: '0x1013' });
    expect(failed.events.map((e) => e.providerStatus)).toEqual([
      null,
      'ENROUTE',
      'UNDELIVERABLE',
    ]);
  });

  it('keeps a final status against a later transient or final report, and ignores repeats', () => {
    const delivered = applySmsDeliveryReport(
      accepted(),
      { status: 'delivered', providerStatus: 'DELIVERED' },
      T1,
    )!;
    const late = applySmsDeliveryReport(
      delivered,
      { status: 'pending', providerStatus: 'BUFFERED' },
      T1,
    )!;
    expect(late.status).toBe('delivered');
    expect(late.providerStatus).toBe('DELIVERED');
    const other = applySmsDeliveryReport(
      late,
      { status: 'expired', providerStatus: 'EXPIRED' },
      T1,
    )!;
    expect(other.status).toBe('delivered');
    expect(
      applySmsDeliveryReport(
        other,
        { status: 'delivered', providerStatus: 'DELIVERED' },
        T1,
      ),
    ).toBeUndefined();
  });

  it('leaves an accepted message accepted when the network cannot report', () => {
    const record = applySmsDeliveryReport(
      accepted(),
      {
        status: 'accepted',
        providerStatus: 'DeliveryNotificationNotSupported',
      },
      T1,
    )!;
    expect(record.status).toBe('accepted');
    expect(record.events).toHaveLength(2);
  });
});

describe('phoneHint', () => {
  it.each([
    ['+4512345678', '+45•••••678'],
    ['+12025550123', '+1•••••••123'],
    ['+46701234567', '+46••••••567'],
  ])('shows %s as %s', (phone, hint) => {
    expect(phoneHint(normalizePhoneNumber(phone))).toBe(hint);
  });
});
