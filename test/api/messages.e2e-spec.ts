import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { SmsMessageKeys } from '@app/sms';
import {
  createCertificateAuthority,
  type PemCertificate,
} from '../../sandbox/certificates.js';
import { deriveMessageKey } from '../../src/messages/message-key.js';
import { MessageRetention } from '../../src/messages/message-retention.js';
import { HttpsTestServer } from '../support/https-test-server.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';

const API_KEY = 'messages-api-key-4c1d0e9b';
const READ_ONLY_KEY = 'messages-read-key-71aa0c3e';
const SEND_ONLY_KEY = 'messages-send-key-0b7d2f64';
const TOKEN = 'gw-secret-token-a9d3c1';
const ENCRYPTION_KEY = Buffer.alloc(32, 3).toString('base64');
const PUBLIC_URL = 'https://sms.example.com';
const PHONE = '+4512345678';
const TEXT = 'Your login code is 582914';

describe('message records and delivery reports (service, SQLite file)', () => {
  let authority: PemCertificate;
  let server: HttpsTestServer;
  let service: ServiceTestApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'nest-sms-messages-'));
  const keys = new SmsMessageKeys(
    deriveMessageKey(Buffer.from(ENCRYPTION_KEY, 'base64')),
  );

  beforeAll(async () => {
    authority = await createCertificateAuthority({ commonName: 'Msg CA' });
    server = await HttpsTestServer.start({ certificateAuthority: authority });
    service = await startServiceTestApp({
      settings: {
        Settings: {
          Sms: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: `${server.url}/rest/mtsms`,
            ClientSecret: TOKEN,
          },
          Api: {
            Keys: [
              API_KEY,
              { Name: 'reader', Key: READ_ONLY_KEY, Scopes: ['read'] },
              { Name: 'sender', Key: SEND_ONLY_KEY, Scopes: ['send'] },
            ],
            TestSendLimitPerPhone: 1000,
          },
          Store: { Url: `sqlite:${join(dataDir, 'sms.db')}` },
          Security: { EncryptionKey: ENCRYPTION_KEY },
          Http: { TimeoutSeconds: 2, ExtraCaCertificatesFile: 'test-ca.pem' },
          DeliveryReports: { PublicUrl: PUBLIC_URL },
        },
      },
      files: { 'test-ca.pem': server.caPem },
    });
  });
  afterAll(async () => {
    await service?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.requests.length = 0;
    server.answer({ status: 200, body: { ids: [421332671] } });
  });

  const testSend = async (
    path = '/sms/test',
    phone = PHONE,
  ): Promise<string> => {
    const answer = await request(service.url)
      .post(path)
      .set('Authorization', `Bearer ${API_KEY}`)
      .send({ phone, message: TEXT })
      .expect(200);
    return (answer.body as { id: string }).id;
  };
  const getRecord = (id: string, path = `/sms/messages/${id}`) =>
    request(service.url).get(path).set('Authorization', `Bearer ${API_KEY}`);
  const report = (id: string, body: unknown, token = keys.token(id)) =>
    request(service.url)
      .post(`/delivery-reports/${id}/${token}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));
  const gatewayReport = (id: string, status: string, extra: object = {}) => ({
    id: 421332671,
    msisdn: 4512345678,
    time: 1767225600,
    status,
    userref: id,
    ...extra,
  });

  it('follows a test send to delivered: id in the answer, callback_url asked for, report applied', async () => {
    const id = await testSend();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(server.requests[0].body.toString())).toMatchObject({
      callback_url: `${PUBLIC_URL}/delivery-reports/${id}/${keys.token(id)}`,
      userref: id,
    });
    expect((await getRecord(id).expect(200)).body).toMatchObject({
      id,
      environment: null,
      provider: 'GatewayApi',
      messageId: '421332671',
      phone: '+45•••••678',
      status: 'accepted',
    });

    await report(id, gatewayReport(id, 'DELIVERED')).expect(204);
    await report(id, gatewayReport(id, 'DELIVERED')).expect(204);
    const record = (await getRecord(id).expect(200)).body as {
      status: string;
      providerStatus: string;
      events: { status: string }[];
    };
    expect(record.status).toBe('delivered');
    expect(record.providerStatus).toBe('DELIVERED');
    expect(record.events.map((e) => e.status)).toEqual([
      'accepted',
      'delivered',
    ]);
    expect(record).not.toHaveProperty('phoneHash');
  });

  it('answers a wrong token and an unknown id with the same 404, and refuses bad reports, changing nothing', async () => {
    const id = await testSend();
    const wrongToken = await report(
      id,
      gatewayReport(id, 'DELIVERED'),
      'A'.repeat(22),
    ).expect(404);
    const unknown = '2b5d9f0e-4a1c-4e7b-9d3f-6c8a0b1e2f34';
    const unknownId = await report(
      unknown,
      gatewayReport(unknown, 'DELIVERED'),
    ).expect(404);
    // The same answer but for each request's own id.
    const { requestId: _wrongTokenRequest, ...wrongTokenBody } = wrongToken.body;
    const { requestId: _unknownIdRequest, ...unknownIdBody } = unknownId.body;
    expect(wrongTokenBody).toEqual(unknownIdBody);

    await report(id, gatewayReport(id, 'DELIVERED', { userref: 'x' })).expect(
      400,
    );
    await report(id, gatewayReport(id, 'DELIVERED', { id: 1 })).expect(400);
    await request(service.url)
      .post(`/delivery-reports/${id}/${keys.token(id)}`)
      .set('Content-Type', 'application/json')
      .send('{"status":')
      .expect(400);
    await report(id, {
      ...gatewayReport(id, 'DELIVERED'),
      pad: 'x'.repeat(17 * 1024),
    }).expect(413);
    expect((await getRecord(id).expect(200)).body).toMatchObject({
      status: 'accepted',
      events: [{ status: 'accepted' }],
    });
  });

  it('keeps a transient report after a final one in events only', async () => {
    const id = await testSend();
    await report(
      id,
      gatewayReport(id, 'UNDELIVERABLE', { code: '0x1013' }),
    ).expect(204);
    await report(id, gatewayReport(id, 'ENROUTE')).expect(204);
    expect((await getRecord(id).expect(200)).body).toMatchObject({
      status: 'failed',
      providerStatus: 'UNDELIVERABLE',
      errorCode: '0x1013',
      events: [
        { status: 'accepted' },
        { status: 'failed' },
        { status: 'pending' },
      ],
    });
  });

  it('lists a number’s records newest first, per environment, and keeps environments apart', async () => {
    const first = await testSend();
    const second = await testSend();
    const envSend = await testSend('/environments/acme/sms/test');
    const list = await request(service.url)
      .get('/sms/messages')
      .query({ phone: '+45 12 34 56 78', limit: 2 })
      .set('Authorization', `Bearer ${READ_ONLY_KEY}`)
      .expect(200);
    expect(
      (list.body as { items: { id: string }[] }).items.map((r) => r.id),
    ).toEqual([second, first]);
    const typed = await request(service.url)
      .get('/sms/messages?phone=+4512345678&limit=1')
      .set('Authorization', `Bearer ${API_KEY}`)
      .expect(200);
    expect((typed.body as { items: { id: string }[] }).items[0].id).toBe(
      second,
    );
    const envList = await request(service.url)
      .get('/environments/acme/sms/messages')
      .query({ phone: PHONE })
      .set('Authorization', `Bearer ${API_KEY}`)
      .expect(200);
    expect(
      (envList.body as { items: { id: string }[] }).items.map((r) => r.id),
    ).toEqual([envSend]);
    await getRecord(envSend).expect(404);
    await getRecord(first, `/environments/acme/sms/messages/${first}`).expect(
      404,
    );
    await getRecord(
      envSend,
      `/environments/acme/sms/messages/${envSend}`,
    ).expect(200);
    await getRecord(
      envSend,
      `/environments/other/sms/messages/${envSend}`,
    ).expect(404);
    await request(service.url)
      .get('/sms/messages')
      .query({ phone: PHONE, limit: 101 })
      .set('Authorization', `Bearer ${API_KEY}`)
      .expect(400);
    await request(service.url)
      .get('/sms/messages')
      .set('Authorization', `Bearer ${API_KEY}`)
      .expect(400);
    await request(service.url)
      .get(`/sms/messages/${first}`)
      .set('Authorization', `Bearer ${SEND_ONLY_KEY}`)
      .expect(403);
    await request(service.url).get(`/sms/messages/${first}`).expect(401);
  });

  it('records a refused send as failed with the provider status and code', async () => {
    server.answer({
      status: 403,
      body: { code: '0x0216', message: 'no credit' },
    });
    const answer = await request(service.url)
      .post('/sms/test')
      .set('Authorization', `Bearer ${API_KEY}`)
      .send({ phone: PHONE, message: TEXT })
      .expect(502);
    expect(answer.body).toBeDefined();
    const list = await request(service.url)
      .get('/sms/messages')
      .query({ phone: PHONE, limit: 1 })
      .set('Authorization', `Bearer ${API_KEY}`)
      .expect(200);
    expect((list.body as { items: unknown[] }).items[0]).toMatchObject({
      status: 'failed',
      providerStatus: '403',
      errorCode: '0x0216',
    });
  });

  it('keeps no text, code, full number or secret in the database files or the report log lines', async () => {
    const id = await testSend();
    await report(id, gatewayReport(id, 'DELIVERED')).expect(204);
    const files = readdirSync(dataDir).filter((name) =>
      name.startsWith('sms.db'),
    );
    expect(files.length).toBeGreaterThan(0);
    const stored = files
      .map((name) => readFileSync(join(dataDir, name)).toString('latin1'))
      .join('\n');
    expect(stored).toContain(id);
    for (const forbidden of [
      TEXT,
      '582914',
      '4512345678',
      TOKEN,
      keys.token(id),
      ENCRYPTION_KEY,
    ])
      expect(stored).not.toContain(forbidden);
    const reportLines = service.logs.lines.filter((line) =>
      line.includes('Delivery report'),
    );
    expect(reportLines.length).toBeGreaterThan(0);
    for (const forbidden of ['582914', '4512345678', TOKEN, keys.token(id)])
      expect(reportLines.join('\n')).not.toContain(forbidden);
    expect(service.logs.text).not.toContain(keys.token(id));
  });

  it('deletes records older than the retention', async () => {
    const id = await testSend();
    const retention = service.app.get(MessageRetention);
    expect(
      await retention.deleteOld(new Date(Date.now() + 29 * 86_400_000)),
    ).toBe(0);
    await getRecord(id).expect(200);
    expect(
      await retention.deleteOld(new Date(Date.now() + 31 * 86_400_000)),
    ).toBeGreaterThan(0);
    await getRecord(id).expect(404);
  });
});
