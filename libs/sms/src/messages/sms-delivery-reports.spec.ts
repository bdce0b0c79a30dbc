import { Test, type TestingModule } from '@nestjs/testing';
import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../../../../sandbox/certificates.js';
import { CapturedLogs } from '../../../../test/support/captured-logs.js';
import { HttpsTestServer } from '../../../../test/support/https-test-server.js';
import {
  SmsDeliveryReportInvalidError,
  SmsDeliveryReportNotFoundError,
} from '../errors/sms-delivery-report.error.js';
import { SmsProviderError } from '../errors/sms-provider.error.js';
import { SmsSettingsError } from '../errors/sms-settings.error.js';
import { SmsEvents } from '../events/sms-events.js';
import type { SmsEvent } from '../events/sms-event.interface.js';
import type { SmsModuleOptions } from '../sms-module-options.interface.js';
import { SmsModule } from '../sms.module.js';
import { SmsService } from '../sms.service.js';
import { SmsDeliveryReportHandler } from './sms-delivery-report.handler.js';
import { InMemorySmsMessageRecordSource } from './sms-message-record.source.js';
import { SmsMessageKeys } from './sms-message.keys.js';

const PUBLIC_URL = 'https://sms.example.com/base/';
const KEY = Buffer.alloc(32, 7);
const TEXT = 'Your code is 917245';

describe('message records and delivery reports (through SmsModule, over HTTPS)', () => {
  let ca: PemCertificate;
  let gateway: HttpsTestServer;
  let telia: HttpsTestServer;
  let client: { certificatePem: string; privateKeyPem: string };
  let moduleRef: TestingModule | undefined;
  let logger: CapturedLogs;
  let events: SmsEvent[];

  beforeAll(async () => {
    ca = await createCertificateAuthority({ commonName: 'Report CA' });
    const clientCa = await createCertificateAuthority({
      commonName: 'Client CA',
    });
    client = await issueCertificate(clientCa, {
      commonName: 'sms-client',
      usage: 'client',
      keyType: 'rsa',
    });
    gateway = await HttpsTestServer.start({ certificateAuthority: ca });
    telia = await HttpsTestServer.start({
      certificateAuthority: ca,
      clientCa: clientCa.certificatePem,
    });
  });
  afterAll(async () => {
    await gateway.close();
    await telia.close();
  });
  beforeEach(() => {
    gateway.clear().answer({ status: 200, body: { ids: [4711] } });
    telia.clear().answer({
      status: 201,
      body: { resourceReference: { resourceURL: `${telia.url}/r/msg-9` } },
    });
    logger = new CapturedLogs();
    events = [];
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  const gatewaySettings = () => ({
    Type: 'GatewayApi',
    FromName: 'Acme',
    ApiUrl: `${gateway.url}/rest/mtsms`,
    ClientSecret: 'gw-token-0d7e55',
  });
  const teliaSettings = () => ({
    Type: 'TeliaSmsGateway',
    FromName: 'Acme',
    ApiUrl: `${telia.url}/messaging/v1/outbound/12345/requests`,
    ClientId: '12345',
    ClientSecret: 'telia-key-5e11',
    CertificatePemCrt: client.certificatePem,
    CertificatePemKey: client.privateKeyPem,
  });

  async function compile(options: Partial<SmsModuleOptions>) {
    moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          extraCaCertificates: ca.certificatePem,
          ...options,
        }),
      ],
    })
      .setLogger(logger)
      .compile();
    moduleRef.useLogger(logger);
    moduleRef.get(SmsEvents).subscribe((event) => events.push(event));
    return {
      sms: moduleRef.get(SmsService),
      records: moduleRef.get(InMemorySmsMessageRecordSource),
      handler: moduleRef.get(SmsDeliveryReportHandler),
    };
  }

  const token = (id: string) => new SmsMessageKeys(KEY).token(id);
  const reportUrl = (id: string) =>
    `https://sms.example.com/base/delivery-reports/${id}/${token(id)}`;

  it('asks Gateway API for a report with callback_url and userref, exactly', async () => {
    const { sms } = await compile({
      settings: gatewaySettings(),
      messages: { key: KEY, publicUrl: PUBLIC_URL },
    });
    const result = await sms.send({ phone: '+4512345678', message: 'Hi' });
    expect(gateway.requests[0].body.toString()).toBe(
      `{"sender":"Acme","message":"Hi","recipients":[{"msisdn":4512345678}],"callback_url":"${reportUrl(result.id)}","userref":"${result.id}"}`,
    );
  });

  it('asks Telia for a report with receiptRequest, exactly', async () => {
    const { sms } = await compile({
      settings: teliaSettings(),
      messages: { key: KEY, publicUrl: PUBLIC_URL },
    });
    const result = await sms.send({ phone: '+4512345678', message: 'Hi' });
    expect(telia.requests[0].body.toString()).toBe(
      `{"outboundMessageRequest":{"address":["tel:+4512345678"],"senderAddress":"12345","senderName":"Acme","outboundSMSTextMessage":{"message":"Hi"},"clientCorrelator":"${result.id}","receiptRequest":{"notifyURL":"${reportUrl(result.id)}","notificationFormat":"JSON","callbackData":"${result.id}"}}}`,
    );
  });

  it('asks for no report without a public URL, and the record stays accepted', async () => {
    const { sms, records } = await compile({ settings: gatewaySettings() });
    const result = await sms.send({ phone: '+4512345678', message: 'Hi' });
    const body = gateway.requests[0].body.toString();
    expect(body).not.toContain('callback_url');
    expect(body).not.toContain('userref');
    expect((await records.get(result.id))?.status).toBe('accepted');
  });

  it('records a send with a hint and a hash, never the text or the number', async () => {
    const { sms, records } = await compile({
      settings: gatewaySettings(),
      messages: { key: KEY },
    });
    const result = await sms.send({ phone: '+4512345678', message: TEXT });
    const record = await records.get(result.id);
    expect(record).toMatchObject({
      id: result.id,
      environment: null,
      provider: 'GatewayApi',
      messageId: '4711',
      phone: '+45•••••678',
      phoneHash: new SmsMessageKeys(KEY).phoneHash('+4512345678'),
      encoding: 'GSM-7',
      segments: 1,
      status: 'accepted',
      providerStatus: null,
      errorCode: null,
      failoverFrom: null,
    });
    const stored = JSON.stringify(record);
    for (const secret of ['917245', '12345678', 'gw-token-0d7e55'])
      expect(stored).not.toContain(secret);
  });

  it('records a refused send as failed with the provider status and code', async () => {
    gateway.answer({ status: 400, body: { code: '0x0204', message: 'no' } });
    const { sms, records } = await compile({
      settings: gatewaySettings(),
      messages: { key: KEY },
    });
    const error = await sms
      .send({ phone: '+4512345678', message: 'Hi' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsProviderError);
    const [record] = await records.findByPhone({
      phoneHash: new SmsMessageKeys(KEY).phoneHash('+4512345678'),
      environment: null,
      limit: 100,
    });
    expect(record).toMatchObject({
      status: 'failed',
      providerStatus: '400',
      errorCode: '0x0204',
    });
  });

  describe('Gateway API reports', () => {
    async function sent() {
      const parts = await compile({
        settings: gatewaySettings(),
        messages: { key: KEY, publicUrl: PUBLIC_URL },
      });
      const { id } = await parts.sms.send({
        phone: '+4512345678',
        message: TEXT,
      });
      const report = (status: string, extra: object = {}) =>
        parts.handler.handle({
          id,
          token: token(id),
          body: {
            id: 4711,
            msisdn: 4512345678,
            time: 1,
            status,
            userref: id,
            ...extra,
          },
        });
      return { ...parts, id, report };
    }

    it.each([
      ['DELIVERED', 'delivered'],
      ['UNDELIVERABLE', 'failed'],
      ['REJECTED', 'failed'],
      ['DELETED', 'failed'],
      ['SKIPPED', 'failed'],
      ['EXPIRED', 'expired'],
      ['UNKNOWN', 'pending'],
      ['SCHEDULED', 'pending'],
      ['BUFFERED', 'pending'],
      ['ENROUTE', 'pending'],
      ['ACCEPTED', 'pending'],
    ])('maps %s to %s', async (providerStatus, status) => {
      const { report } = await sent();
      const record = await report(providerStatus, { code: '0x1013' });
      expect(record.status).toBe(status);
      expect(record.providerStatus).toBe(providerStatus);
    });

    it('keeps the error code, logs one line and emits one event per report', async () => {
      const { report, id } = await sent();
      const record = await report('UNDELIVERABLE', {
        code: '0x1013',
        error: 'No route',
      });
      expect(record.errorCode).toBe('0x1013');
      expect(events.filter((e) => e.type === 'delivery-report')).toEqual([
        { type: 'delivery-report', provider: 'GatewayApi', status: 'failed' },
      ]);
      const lines = logger.lines.filter((l) => l.includes('Delivery report'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`id=${id} provider=GatewayApi status=failed`);
      expect(logger.text).not.toContain('917245');
    });

    it('keeps a transient report after a final one in events only, and ignores repeats', async () => {
      const { report, records, id } = await sent();
      await report('DELIVERED');
      await report('DELIVERED');
      const record = await report('ENROUTE');
      expect(record.status).toBe('delivered');
      expect(
        (await records.get(id))?.events.map((e) => e.providerStatus),
      ).toEqual([null, 'DELIVERED', 'ENROUTE']);
    });

    it('loses no report when two of one message arrive at once', async () => {
      const { report, records, id } = await sent();
      await Promise.all([
        report('ENROUTE'),
        report('DELIVERED'),
        report('BUFFERED'),
      ]);
      const record = await records.get(id);
      expect(record?.status).toBe('delivered');
      expect(record?.events).toHaveLength(4);
    });

    it('refuses a wrong token and an unknown id alike, and a mismatched userref or id', async () => {
      const { handler, records, id, report } = await sent();
      const body = { id: 4711, status: 'DELIVERED', userref: id };
      await expect(
        handler.handle({ id, token: token(`${id}x`), body }),
      ).rejects.toThrow(SmsDeliveryReportNotFoundError);
      const unknown = '00000000-0000-4000-8000-000000000000';
      await expect(
        handler.handle({ id: unknown, token: token(unknown), body }),
      ).rejects.toThrow(SmsDeliveryReportNotFoundError);
      await expect(report('DELIVERED', { userref: 'other' })).rejects.toThrow(
        SmsDeliveryReportInvalidError,
      );
      await expect(report('DELIVERED', { id: 1 })).rejects.toThrow(
        SmsDeliveryReportInvalidError,
      );
      await expect(report('NO-SUCH-STATUS')).rejects.toThrow(
        SmsDeliveryReportInvalidError,
      );
      await expect(
        handler.handle({ id, token: token(id), body: [1] }),
      ).rejects.toThrow(SmsDeliveryReportInvalidError);
      expect((await records.get(id))?.status).toBe('accepted');
    });
  });

  describe('Telia reports', () => {
    it.each([
      ['DeliveredToTerminal', 'delivered'],
      ['DeliveryImpossible', 'failed'],
      ['DeliveredToNetwork', 'pending'],
      ['MessageWaiting', 'pending'],
      ['DeliveryUncertain', 'pending'],
      ['DeliveryNotificationNotSupported', 'accepted'],
    ])('maps %s to %s', async (deliveryStatus, status) => {
      const { sms, handler } = await compile({
        settings: teliaSettings(),
        messages: { key: KEY, publicUrl: PUBLIC_URL },
      });
      const { id } = await sms.send({ phone: '+4512345678', message: TEXT });
      const record = await handler.handle({
        id,
        token: token(id),
        body: {
          deliveryInfoNotification: {
            deliveryInfo: {
              address: 'tel:+4512345678',
              deliveryStatus,
              callbackData: id,
            },
          },
        },
      });
      expect(record.status).toBe(status);
    });

    it('refuses a callbackData of another message', async () => {
      const { sms, handler } = await compile({
        settings: teliaSettings(),
        messages: { key: KEY, publicUrl: PUBLIC_URL },
      });
      const { id } = await sms.send({ phone: '+4512345678', message: TEXT });
      await expect(
        handler.handle({
          id,
          token: token(id),
          body: {
            deliveryInfoNotification: {
              callbackData: 'another',
              deliveryInfo: {
                address: 'tel:+4512345678',
                deliveryStatus: 'DeliveredToTerminal',
              },
            },
          },
        }),
      ).rejects.toThrow(SmsDeliveryReportInvalidError);
    });
  });

  it('refuses a public URL that is not https and a short key, in one error', async () => {
    const error = await compile({
      messages: { publicUrl: 'http://sms.example.com', key: Buffer.alloc(8) },
    }).catch((e: unknown) => e);
    expect((error as SmsSettingsError).problems.map((p) => p.path)).toEqual([
      'messages.key',
      'messages.publicUrl',
    ]);
    await expect(
      compile({ messages: { publicUrl: 'http://127.0.0.1:3000' } }),
    ).resolves.toBeDefined();
  });
});
