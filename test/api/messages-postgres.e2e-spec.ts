import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { SmsMessageKeys } from '@app/sms';
import {
  createSmsCodeTestSchema,
  type SmsCodeTestSchema,
} from '../../src/codes/store/postgres-test-schema.fixture.js';
import { deriveMessageKey } from '../../src/messages/message-key.js';
import { createCertificateAuthority } from '../../sandbox/certificates.js';
import { HttpsTestServer } from '../support/https-test-server.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';

const databaseUrl = process.env.DATABASE_URL;
const describeWithDatabase = databaseUrl ? describe : describe.skip;
const suffix = databaseUrl ? '' : ' (skipped: DATABASE_URL is not set)';

const API_KEY = 'pg-messages-api-key-1e5c7a9d';
const TEXT = 'Your login code is 660271';

describeWithDatabase(
  `message records shared by two instances on PostgreSQL${suffix}`,
  () => {
    const encryptionKey = randomBytes(32);
    const keys = new SmsMessageKeys(deriveMessageKey(encryptionKey));
    let schema: SmsCodeTestSchema;
    let provider: HttpsTestServer;
    let first: ServiceTestApp;
    let second: ServiceTestApp;

    beforeAll(async () => {
      schema = await createSmsCodeTestSchema(databaseUrl!);
      const authority = await createCertificateAuthority({
        commonName: 'PG CA',
      });
      provider = await HttpsTestServer.start({
        certificateAuthority: authority,
      });
      provider.answer({ status: 200, body: { ids: [777] } });
      const settings = {
        Settings: {
          Sms: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: `${provider.url}/rest/mtsms`,
            ClientSecret: 'pg-gateway-token-3d9e',
          },
          Api: { Keys: [API_KEY] },
          Store: { Url: schema.url },
          Security: { EncryptionKey: encryptionKey.toString('base64') },
          Http: { ExtraCaCertificatesFile: 'test-ca.pem' },
          DeliveryReports: { PublicUrl: 'https://sms.example.com' },
        },
      };
      const files = { 'test-ca.pem': provider.caPem };
      first = await startServiceTestApp({ settings, files });
      second = await startServiceTestApp({ settings, files });
    });
    afterAll(async () => {
      await first?.close();
      await second?.close();
      await provider?.close();
      await schema?.drop();
    });

    it('sends on one instance, takes the report on the other, and both show it delivered', async () => {
      const sent = await request(first.url)
        .post('/sms/test')
        .set('Authorization', `Bearer ${API_KEY}`)
        .send({ phone: '+4512345678', message: TEXT })
        .expect(200);
      const { id } = sent.body as { id: string };

      await request(second.url)
        .post(`/delivery-reports/${id}/${keys.token(id)}`)
        .set('Content-Type', 'application/json')
        .send({
          id: 777,
          msisdn: 4512345678,
          time: 1,
          status: 'DELIVERED',
          userref: id,
        })
        .expect(204);

      for (const service of [first, second]) {
        const record = await request(service.url)
          .get(`/sms/messages/${id}`)
          .set('Authorization', `Bearer ${API_KEY}`)
          .expect(200);
        expect(record.body).toMatchObject({
          id,
          status: 'delivered',
          phone: '+45•••••678',
        });
      }
      const { rows } = await schema.pool.query<{ row: string }>(
        'SELECT row_to_json(m)::text AS row FROM sms_messages m',
      );
      const stored = rows.map((r) => r.row).join('\n');
      for (const forbidden of [
        TEXT,
        '660271',
        '4512345678',
        'pg-gateway-token-3d9e',
        keys.token(id),
      ])
        expect(stored).not.toContain(forbidden);
    });
  },
);
