import { randomBytes } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { HttpsTestServer } from '../support/https-test-server.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';

const databaseUrl = process.env.DATABASE_URL;
const describeWithDatabase = databaseUrl ? describe : describe.skip;
const suffix = databaseUrl ? '' : ' (skipped: DATABASE_URL is not set)';

const API_KEY = 'shared-limits-key-0123456789';

describeWithDatabase(
  `test-send limits shared by instances on PostgreSQL${suffix}`,
  () => {
    const schema = `service_limits_${randomBytes(6).toString('hex')}`;
    let server: HttpsTestServer;
    const instances: ServiceTestApp[] = [];

    /** The database URL whose sessions use this test's own schema. */
    function schemaUrl(): string {
      const url = new URL(databaseUrl!);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return url.toString();
    }

    async function admin(sql: string): Promise<void> {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    }

    beforeAll(async () => {
      await admin(`CREATE SCHEMA ${schema}`);
      server = await HttpsTestServer.start();
      server.answer({ status: 200, body: { ids: [1] } });
      const settings = {
        Settings: {
          Sms: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: `${server.url}/rest/mtsms`,
            ClientSecret: 'shared-limits-token',
          },
          Api: { Keys: [API_KEY], TestSendLimitPerPhone: 2 },
          Http: { ExtraCaCertificatesFile: 'ca.pem' },
          Store: { Url: schemaUrl() },
          Security: { EncryptionKey: randomBytes(32).toString('base64') },
        },
      };
      for (let i = 0; i < 2; i++) {
        instances.push(
          await startServiceTestApp({
            settings,
            files: { 'ca.pem': server.caPem },
          }),
        );
      }
    });
    afterAll(async () => {
      for (const instance of instances) await instance.close();
      await server?.close();
      await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    });

    it('counts sends to one number on every instance together', async () => {
      const send = (instance: ServiceTestApp) =>
        request(instance.url)
          .post('/sms/test')
          .set('Authorization', `Bearer ${API_KEY}`)
          .send({ phone: '+4530000001' });

      const first = await send(instances[0]);
      const second = await send(instances[1]);
      const third = await send(instances[0]);
      const fourth = await send(instances[1]);

      expect([first.status, second.status]).toEqual([200, 200]);
      expect([third.status, fourth.status]).toEqual([429, 429]);
      expect(Number(fourth.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(server.requests).toHaveLength(2);
    });
  },
);
