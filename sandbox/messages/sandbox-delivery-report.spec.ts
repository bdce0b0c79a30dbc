import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  InMemorySmsMessageRecordSource,
  InMemorySmsSettingsSource,
  SmsDeliveryReportHandler,
  SmsError,
  SmsModule,
  SmsService,
} from '@app/sms';
import type { RunningSandbox } from '../server/sandbox.server.js';
import { startTestSandbox } from '../testing/test-sandbox.js';

/**
 * The whole loop: the library sends to the sandbox asking for a report at a loopback HTTP server,
 * the sandbox posts the report about a second later, and the server hands it to the library's
 * handler, which updates the record.
 */
describe('delivery reports from the sandbox', () => {
  let sandbox: RunningSandbox;
  let dispose: () => Promise<void>;
  let callbacks: Server;
  let received: { path: string; body: string }[];
  let moduleRef: TestingModule;
  let sms: SmsService;
  let records: InMemorySmsMessageRecordSource;

  beforeAll(async () => {
    ({ sandbox, dispose } = await startTestSandbox());
    received = [];
    callbacks = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ path: request.url ?? '', body });
        const [, , id, token] = (request.url ?? '').split('/');
        moduleRef
          .get(SmsDeliveryReportHandler)
          .handle({ id, token, body: JSON.parse(body) as unknown })
          .then(
            () => response.writeHead(204).end(),
            (error: unknown) =>
              response.writeHead(error instanceof SmsError ? 400 : 500).end(),
          );
      });
    });
    await new Promise<void>((resolve) =>
      callbacks.listen(0, '127.0.0.1', resolve),
    );
    const port = (callbacks.address() as AddressInfo).port;
    moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({
          extraCaCertificates: readFileSync(sandbox.caCertificateFile, 'utf8'),
          messages: { publicUrl: `http://127.0.0.1:${port}` },
        }),
      ],
    })
      .setLogger({
        log: () => undefined,
        error: () => undefined,
        warn: () => undefined,
      })
      .compile();
    sms = moduleRef.get(SmsService);
    records = moduleRef.get(InMemorySmsMessageRecordSource);
  });
  afterAll(async () => {
    await moduleRef?.close();
    await new Promise((resolve) => callbacks.close(resolve));
    await dispose?.();
  });
  beforeEach(() => {
    received.length = 0;
  });

  const settings = () => ({
    GatewayApi: {
      type: 'GatewayApi',
      fromName: 'FoxIDs',
      apiUrl: sandbox.endpoints.gatewayApi,
      clientSecret: sandbox.credentials.gatewayApiToken,
    },
    TeliaSmsGateway: {
      type: 'TeliaSmsGateway',
      fromName: 'FoxIDs',
      apiUrl: sandbox.endpoints.telia,
      clientId: '12345',
      clientSecret: sandbox.credentials.teliaApiKey,
      certificatePemCrt: sandbox.teliaClientCertificate.certificatePem,
      certificatePemKey: sandbox.teliaClientCertificate.privateKeyPem,
    },
  });

  async function sendWith(
    provider: 'GatewayApi' | 'TeliaSmsGateway',
    phone: string,
  ) {
    moduleRef
      .get(InMemorySmsSettingsSource)
      .set(provider, settings()[provider]);
    return sms.send({
      phone,
      message: 'Your code is 482913',
      environment: provider,
    });
  }

  const finalRecord = (id: string) =>
    vi.waitFor(
      async () => {
        const record = await records.get(id);
        if (record?.status === 'accepted') throw new Error('still accepted');
        return record!;
      },
      { timeout: 10_000, interval: 100 },
    );

  it('posts Gateway API DELIVERED with the userref, and the record turns delivered', async () => {
    const { id, messageId } = await sendWith('GatewayApi', '+4512345678');
    const record = await finalRecord(id);
    expect(record.status).toBe('delivered');
    expect(record.providerStatus).toBe('DELIVERED');
    expect(JSON.parse(received[0].body)).toEqual({
      id: Number(messageId),
      msisdn: 4512345678,
      time: expect.any(Number),
      status: 'DELIVERED',
      userref: id,
    });
    await vi.waitFor(() =>
      expect(sandbox.messages()[0].deliveryReport).toEqual({
        status: 'delivered',
        state: 'posted',
        answer: 204,
      }),
    );
  });

  it('posts Gateway API UNDELIVERABLE 0x1013 for a number ending in 0404', async () => {
    const { id } = await sendWith('GatewayApi', '+4512340404');
    const record = await finalRecord(id);
    expect(record).toMatchObject({
      status: 'failed',
      providerStatus: 'UNDELIVERABLE',
      errorCode: '0x1013',
    });
  });

  it('posts Telia DeliveredToTerminal with the callbackData, and DeliveryImpossible for 0404', async () => {
    const delivered = await sendWith('TeliaSmsGateway', '+4512345678');
    expect((await finalRecord(delivered.id)).status).toBe('delivered');
    expect(JSON.parse(received[0].body)).toEqual({
      deliveryInfoNotification: {
        callbackData: delivered.id,
        deliveryInfo: {
          address: 'tel:+4512345678',
          deliveryStatus: 'DeliveredToTerminal',
        },
      },
    });
    const failed = await sendWith('TeliaSmsGateway', '+4512340404');
    expect(await finalRecord(failed.id)).toMatchObject({
      status: 'failed',
      providerStatus: 'DeliveryImpossible',
    });
  });
});
