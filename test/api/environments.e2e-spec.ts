import { randomBytes } from 'node:crypto';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  vi,
} from 'vitest';
import { SmsModule, SmsNotConfiguredError, SmsService } from '@app/sms';
import {
  createCertificateAuthority,
  issueCertificate,
} from '../../sandbox/certificates.js';
import { EnvironmentsModule } from '../../src/environments/environments.module.js';
import { GENERATED_KEY_FILE_NAME } from '../../src/encryption/encryption-key.provider.js';
import { EnvironmentSettingsStore } from '../../src/environments/store/environment-settings.store.js';
import { HttpsTestServer } from '../support/https-test-server.js';
import { CapturedLogs } from '../support/captured-logs.js';

interface AppOptions {
  storeUrl?: string;
  allowPrivateNetworkUrls?: boolean;
  encryptionKey?: string;
  /** Also wires the SmsModule with the store as its settings source, trusting this CA. */
  smsCaPem?: string;
}

async function createApp(options: AppOptions = {}) {
  const logger = new CapturedLogs();
  const imports: NonNullable<ModuleMetadata['imports']> = [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      load: [
        () => ({
          store: { url: options.storeUrl ?? 'sqlite::memory:' },
          security: {
            encryptionKey: options.encryptionKey,
            previousEncryptionKeys: [],
            allowPrivateNetworkUrls: options.allowPrivateNetworkUrls ?? false,
          },
        }),
      ],
    }),
    EnvironmentsModule,
  ];
  if (options.smsCaPem) {
    const extraCaCertificates = options.smsCaPem;
    imports.push(
      SmsModule.forRootAsync({
        imports: [EnvironmentsModule],
        inject: [EnvironmentSettingsStore],
        useFactory: (store: EnvironmentSettingsStore) => ({
          settingsSource: store,
          extraCaCertificates,
        }),
      }),
    );
  }
  // The logger is set before compiling: the store is opened, and warns, while the module compiles.
  const moduleRef = await Test.createTestingModule({ imports })
    .setLogger(logger)
    .compile();
  const app = moduleRef.createNestApplication({ logger });
  await app.init();
  return { app, http: () => request(app.getHttpServer()), logger };
}

const PUBLIC_GATEWAY_URL = 'https://203.0.113.10/rest/mtsms';
const newSecret = (label: string) =>
  `${label}-${randomBytes(12).toString('hex')}`;

describe('Environment SMS settings API', () => {
  let app: INestApplication;
  let http: () => request.Agent;
  let logger: CapturedLogs;
  let telia: { certificatePem: string; privateKeyPem: string };
  let expiredTelia: { certificatePem: string; privateKeyPem: string };

  beforeAll(async () => {
    ({ app, http, logger } = await createApp());
    const authority = await createCertificateAuthority({
      commonName: 'Telia test CA',
    });
    telia = await issueCertificate(authority, {
      commonName: 'acme-sms',
      usage: 'client',
    });
    expiredTelia = await issueCertificate(authority, {
      commonName: 'acme-expired',
      usage: 'client',
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
  });
  afterAll(() => app.close());

  it('sets settings and shows them masked: no secret in the answer or the logs', async () => {
    const clientSecret = newSecret('gw-token');
    const put = await http()
      .put('/environments/acme/sms')
      .send({
        type: 'GatewayApi',
        fromName: 'Acme',
        apiUrl: PUBLIC_GATEWAY_URL,
        clientSecret,
        label: 'login',
      })
      .expect(200);
    expect(put.body).toEqual({
      type: 'GatewayApi',
      fromName: 'Acme',
      apiUrl: PUBLIC_GATEWAY_URL,
      hasClientSecret: true,
      label: 'login',
      hasCertificatePemKey: false,
    });
    const get = await http().get('/environments/acme/sms').expect(200);
    expect(get.body).toEqual(put.body);
    expect(get.text).not.toContain(clientSecret);
    expect(logger.lines).toContain(
      'LOG [EnvironmentSettings] SMS settings of environment acme created: provider=GatewayApi url=https://203.0.113.10/rest/mtsms',
    );
    expect(logger.lines.join('\n')).not.toContain(clientSecret);
  });

  it('lists every failing field at once, in the API error shape, without echoing values', async () => {
    const secret = newSecret('typo-secret');
    const response = await http()
      .put('/environments/acme-invalid/sms')
      .send({
        type: 'GatewayApi',
        fromName: '',
        apiUrl: 'http://gatewayapi.example/rest/mtsms',
        ClientSecert: secret,
      })
      .expect(400);
    expect(response.body.statusCode).toBe(400);
    expect(response.body.error).toBe('Bad Request');
    const messages: string[] = response.body.message;
    expect(Array.isArray(messages)).toBe(true);
    for (const field of [
      'fromName',
      'apiUrl',
      'clientSecret',
      'ClientSecert',
    ]) {
      expect(messages.some((message) => message.startsWith(`${field}: `))).toBe(
        true,
      );
    }
    expect(response.text).not.toContain(secret);
    await http().get('/environments/acme-invalid/sms').expect(404);
  });

  it('refuses a body that is not an object', async () => {
    const response = await http()
      .put('/environments/acme/sms')
      .send([1, 2])
      .expect(400);
    expect(response.body.message).toHaveLength(1);
  });

  it('hides fixed Access URL parameter values and shows those with placeholders', async () => {
    const password = newSecret('pw');
    const put = await http()
      .put('/environments/access/sms')
      .send({
        type: 'AccessUrl',
        fromName: 'Acme',
        apiUrl: 'https://203.0.113.20/sms/',
        parameters: [
          { name: 'username', value: 'acme-user' },
          { name: 'password', value: password },
          { name: 'empty', value: '' },
          { name: 'recipient', value: '{phone}' },
          { name: 'message', value: '{message}' },
        ],
      })
      .expect(200);
    expect(put.body.parameters).toEqual([
      { name: 'username', hasValue: true },
      { name: 'password', hasValue: true },
      { name: 'empty', hasValue: false },
      { name: 'recipient', value: '{phone}', hasValue: true },
      { name: 'message', value: '{message}', hasValue: true },
    ]);
    expect(put.text).not.toContain(password);
    expect(put.text).not.toContain('acme-user');
  });

  it('describes a Telia client certificate and never returns its key', async () => {
    const apiKey = newSecret('telia-key');
    const response = await http()
      .put('/environments/telia/sms')
      .send({
        type: 'TeliaSmsGateway',
        fromName: 'Acme',
        apiUrl:
          'https://203.0.113.30:12123/messaging/v1/outbound/12345/requests',
        clientId: '12345',
        clientSecret: apiKey,
        certificatePemCrt: telia.certificatePem,
        certificatePemKey: telia.privateKeyPem,
      })
      .expect(200);
    expect(response.body).toMatchObject({
      type: 'TeliaSmsGateway',
      clientId: '12345',
      hasClientSecret: true,
      hasCertificatePemKey: true,
      certificate: {
        subject: expect.stringContaining('acme-sms'),
        issuer: expect.stringContaining('Telia test CA'),
        validFrom: expect.any(String),
        validTo: expect.any(String),
        fingerprintSha256: expect.stringMatching(
          /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
        ),
      },
    });
    const keyBody = telia.privateKeyPem.split('\n')[1];
    expect(response.text).not.toContain(keyBody);
    expect(response.text).not.toContain(apiKey);
    expect(response.body).not.toHaveProperty('certificatePemCrt');
  });

  it('refuses an expired Telia certificate, naming the field', async () => {
    const response = await http()
      .put('/environments/telia-expired/sms')
      .send({
        type: 'TeliaSmsGateway',
        fromName: 'Acme',
        apiUrl:
          'https://203.0.113.30:12123/messaging/v1/outbound/12345/requests',
        clientId: '12345',
        clientSecret: newSecret('telia-key'),
        certificatePemCrt: expiredTelia.certificatePem,
        certificatePemKey: expiredTelia.privateKeyPem,
      })
      .expect(400);
    expect(response.body.message).toEqual([
      expect.stringMatching(
        /^certificatePemCrt: .*outside its validity period/,
      ),
    ]);
    await http().get('/environments/telia-expired/sms').expect(404);
  });

  it.each([
    'https://127.0.0.1/rest/mtsms',
    'https://localhost:3001/gatewayapi/rest/mtsms',
    'https://[::1]/rest/mtsms',
    'https://10.0.0.7/rest/mtsms',
    'https://169.254.169.254/latest/meta-data',
    'https://[::ffff:192.168.0.1]/rest/mtsms',
    'https://[2002:7f00:1::]/',
    'https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/',
  ])('refuses the private network URL %s', async (apiUrl) => {
    const response = await http()
      .put('/environments/private/sms')
      .send({
        type: 'GatewayApi',
        fromName: 'Acme',
        apiUrl,
        clientSecret: 'token-1234',
      })
      .expect(400);
    expect(response.body.message).toEqual([
      expect.stringMatching(
        /^apiUrl: The field apiUrl must point to a public address\./,
      ),
    ]);
    await http().get('/environments/private/sms').expect(404);
  });

  it("refuses a fallback's private network URL, named by its path", async () => {
    const response = await http()
      .put('/environments/private/sms')
      .send({
        type: 'GatewayApi',
        fromName: 'Acme',
        apiUrl: 'https://93.184.215.14/rest/mtsms',
        clientSecret: 'token-1234',
        fallback: {
          type: 'GatewayApi',
          fromName: 'Acme',
          apiUrl: 'https://10.0.0.7/rest/mtsms',
          clientSecret: 'token-5678',
        },
      })
      .expect(400);
    expect(response.body.message).toEqual([
      expect.stringMatching(
        /^fallback\.apiUrl: The field fallback\.apiUrl must point to a public address\./,
      ),
    ]);
    await http().get('/environments/private/sms').expect(404);
  });

  it('answers a name that resolves to a private address and one that does not resolve alike', async () => {
    const put = (apiUrl: string) =>
      http()
        .put('/environments/private/sms')
        .send({
          type: 'GatewayApi',
          fromName: 'Acme',
          apiUrl,
          clientSecret: 'token-1234',
        })
        .expect(400);

    const privateName = await put('https://localhost/rest/mtsms');
    const unknownName = await put('https://no-such-host.invalid/rest/mtsms');

    expect(privateName.body).toEqual(unknownName.body);
    expect(privateName.body.message).toEqual([
      expect.stringMatching(
        /^apiUrl: The field apiUrl must point to a public address\./,
      ),
    ]);
    expect(JSON.stringify(privateName.body)).not.toMatch(/127\.0\.0\.1|::1/);
  });

  it('lists a private URL together with the other problems', async () => {
    const response = await http()
      .put('/environments/private/sms')
      .send({
        type: 'GatewayApi',
        fromName: 'Acme',
        apiUrl: 'https://127.0.0.1/x',
      })
      .expect(400);
    expect(response.body.message).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^clientSecret: /),
        expect.stringMatching(/^apiUrl: .*public address/),
      ]),
    );
  });

  it.each(['Acme', '-acme', '_acme', 'ac.me', 'a%20b', 'é', 'a'.repeat(64)])(
    'refuses the environment name %s',
    async (name) => {
      for (const method of ['get', 'put', 'delete'] as const) {
        const response = await http()
          [method](`/environments/${name}/sms`)
          .send({})
          .expect(400);
        expect(response.body).toEqual({
          statusCode: 400,
          error: 'Bad Request',
          message: [
            expect.stringMatching(
              /^environment: The environment name must be 1 to 63/,
            ),
          ],
          requestId: response.headers['x-request-id'],
        });
      }
    },
  );

  it('accepts names of 1 and 63 characters with digits, - and _', async () => {
    for (const name of ['a', '0', `a${'-_9'.repeat(20)}bc`]) {
      await http().get(`/environments/${name}/sms`).expect(404);
    }
  });

  it('answers 404 for an environment without settings, and deletes with 204 then 404', async () => {
    const missing = await http().get('/environments/nobody/sms').expect(404);
    expect(missing.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'The environment nobody has no SMS settings.',
      requestId: missing.headers['x-request-id'],
    });
    await http()
      .put('/environments/short-lived/sms')
      .send({
        type: 'GatewayApi',
        fromName: 'Acme',
        apiUrl: PUBLIC_GATEWAY_URL,
        clientSecret: 'token-1234',
      })
      .expect(200);
    const deleted = await http()
      .delete('/environments/short-lived/sms')
      .expect(204);
    expect(deleted.text).toBe('');
    await http().get('/environments/short-lived/sms').expect(404);
    await http().delete('/environments/short-lived/sms').expect(404);
  });

  it('replaces settings as a whole and keeps environments apart (A, B, A)', async () => {
    await http()
      .put('/environments/tenant-a/sms')
      .send({
        type: 'Smstools',
        fromName: 'TenantA',
        apiUrl: 'https://203.0.113.40',
        clientId: 'client-a',
        clientSecret: 'secret-a-1234',
      })
      .expect(200);
    await http()
      .put('/environments/tenant-b/sms')
      .send({
        type: 'GatewayApi',
        fromName: 'TenantB',
        apiUrl: PUBLIC_GATEWAY_URL,
        clientSecret: 'secret-b-1234',
      })
      .expect(200);
    expect(
      (await http().get('/environments/tenant-a/sms').expect(200)).body,
    ).toMatchObject({
      type: 'Smstools',
      fromName: 'TenantA',
      clientId: 'client-a',
    });
    await http()
      .put('/environments/tenant-a/sms')
      .send({
        type: 'GatewayApi',
        fromName: 'TenantA2',
        apiUrl: PUBLIC_GATEWAY_URL,
        clientSecret: 'secret-a-5678',
      })
      .expect(200);
    const replaced = (
      await http().get('/environments/tenant-a/sms').expect(200)
    ).body;
    expect(replaced).not.toHaveProperty('clientId');
    expect(replaced).toMatchObject({
      type: 'GatewayApi',
      fromName: 'TenantA2',
    });
    expect(
      (await http().get('/environments/tenant-b/sms').expect(200)).body
        .fromName,
    ).toBe('TenantB');
    expect(logger.lines).toContain(
      'LOG [EnvironmentSettings] SMS settings of environment tenant-a replaced: provider=GatewayApi url=https://203.0.113.10/rest/mtsms',
    );
  });
});

describe('Environment SMS settings API with private network URLs allowed', () => {
  it('accepts a loopback URL', async () => {
    const { app, http } = await createApp({ allowPrivateNetworkUrls: true });
    try {
      await http()
        .put('/environments/local/sms')
        .send({
          type: 'GatewayApi',
          fromName: 'Acme',
          apiUrl: 'https://localhost:3001/gatewayapi/rest/mtsms',
          clientSecret: 'token-1234',
        })
        .expect(200);
    } finally {
      await app.close();
    }
  });
});

describe('Environment SMS settings in a SQLite file', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'sms-e2e-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('survive a restart, with a key generated once and no secret in the files', async () => {
    const storeUrl = `sqlite:${join(folder, 'data', 'sms.db')}`;
    const clientSecret = newSecret('persisted');
    const first = await createApp({ storeUrl });
    try {
      await first
        .http()
        .put('/environments/persisted/sms')
        .send({
          type: 'GatewayApi',
          fromName: 'Acme',
          apiUrl: PUBLIC_GATEWAY_URL,
          clientSecret,
        })
        .expect(200);
      expect(first.logger.lines.join('\n')).toContain(
        'Settings:Security:EncryptionKey is not set',
      );
    } finally {
      await first.app.close();
    }
    const keyFile = join(folder, 'data', GENERATED_KEY_FILE_NAME);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    for (const file of readdirSync(join(folder, 'data'))) {
      if (file === GENERATED_KEY_FILE_NAME) continue;
      expect(
        readFileSync(join(folder, 'data', file)).toString('latin1'),
      ).not.toContain(clientSecret);
    }

    const second = await createApp({ storeUrl });
    try {
      const get = await second
        .http()
        .get('/environments/persisted/sms')
        .expect(200);
      expect(get.body).toMatchObject({
        fromName: 'Acme',
        hasClientSecret: true,
      });
      expect(second.logger.lines.join('\n')).not.toContain('is not set');
      const store = second.app.get(EnvironmentSettingsStore);
      expect((await store.get('persisted'))?.clientSecret).toBe(clientSecret);
    } finally {
      await second.app.close();
    }
  });
});

describe('Environment settings in the sends of the SmsModule', () => {
  let gateway: HttpsTestServer;
  let app: INestApplication;
  let http: () => request.Agent;

  beforeAll(async () => {
    gateway = await HttpsTestServer.start();
    gateway.answer({ status: 200, body: { ids: [421332671] } });
    ({ app, http } = await createApp({
      allowPrivateNetworkUrls: true,
      smsCaPem: gateway.caPem,
    }));
  });
  afterEach(() =>
    gateway.clear().answer({ status: 200, body: { ids: [421332671] } }),
  );
  afterAll(async () => {
    await app.close();
    await gateway.close();
  });

  const putGateway = (token: string) =>
    http()
      .put('/environments/live/sms')
      .send({
        type: 'GatewayApi',
        fromName: 'Live',
        apiUrl: `${gateway.url}/rest/mtsms`,
        clientSecret: token,
      })
      .expect(200);

  it('takes effect on the next send, and stops applying once deleted', async () => {
    const sms = app.get(SmsService);
    await putGateway('first-token');
    const sent = await sms.send({
      environment: 'live',
      phone: '+4512345678',
      message: 'Code 1',
    });
    expect(sent).toMatchObject({
      source: 'environment',
      environment: 'live',
      messageId: '421332671',
    });
    expect(gateway.requests[0].headers.authorization).toBe('Token first-token');

    await putGateway('second-token');
    await sms.send({
      environment: 'live',
      phone: '+4512345678',
      message: 'Code 2',
    });
    expect(gateway.requests[1].headers.authorization).toBe(
      'Token second-token',
    );
    expect(JSON.parse(gateway.requests[1].body.toString())).toMatchObject({
      sender: 'Live',
      message: 'Code 2',
    });

    await http().delete('/environments/live/sms').expect(204);
    await expect(
      sms.send({
        environment: 'live',
        phone: '+4512345678',
        message: 'Code 3',
      }),
    ).rejects.toBeInstanceOf(SmsNotConfiguredError);
    expect(gateway.requests).toHaveLength(2);
  });

  /** The masked view as a PUT body: the fields a PUT takes, without the flags and descriptions. */
  const editable = (view: Record<string, unknown>) => {
    const body: Record<string, unknown> = {};
    for (const field of ['type', 'fromName', 'apiUrl', 'clientId', 'label'])
      if (view[field] !== undefined) body[field] = view[field];
    const parameters = view.parameters as
      { name: string; value?: string }[] | undefined;
    if (parameters)
      body.parameters = parameters.map(({ name, value }) => ({ name, value }));
    return body;
  };

  it('hides an API URL query everywhere, and keeps it when the masked URL is sent back', async () => {
    const queryToken = newSecret('query-token');
    await http()
      .put('/environments/query/sms')
      .send({
        type: 'GatewayApi',
        fromName: 'Query',
        apiUrl: `${gateway.url}/rest/mtsms?token=${queryToken}`,
        clientSecret: 'query-client-secret',
      })
      .expect(200);
    const view = await http().get('/environments/query/sms').expect(200);
    const resent = await http()
      .put('/environments/query/sms')
      .send({ ...editable(view.body), clientSecret: 'query-client-secret' });
    const elsewhere = await http()
      .put('/environments/query-elsewhere/sms')
      .send({ ...editable(view.body), clientSecret: 'query-client-secret' });
    gateway.answer((request) => ({ status: 400, body: request.url }));
    const failure = await app
      .get(SmsService)
      .send({ environment: 'query', phone: '+4512345678', message: 'Hi' })
      .then(
        () => new Error('the send was expected to fail'),
        (error: unknown) => error as Error,
      );

    expect(view.body.apiUrl).toBe(`${gateway.url}/rest/mtsms?[redacted]`);
    expect(view.text).not.toContain(queryToken);
    expect(resent.status).toBe(200);
    expect(resent.text).not.toContain(queryToken);
    expect(gateway.requests[0].url).toBe(`/rest/mtsms?token=${queryToken}`);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.message).toEqual([
      'apiUrl: The field apiUrl holds a masked value ([redacted]) that matches none of the stored settings; send the value in full.',
    ]);
    expect(failure.message).toContain('[redacted]');
    expect(failure.message).not.toContain(queryToken);
  });

  it('hides a secret beside a placeholder everywhere, and keeps it when the masked value is sent back', async () => {
    const password = newSecret('HiddenPw');
    const settings = {
      type: 'AccessUrl',
      fromName: 'Mixed',
      apiUrl: `${gateway.url}/send`,
      parameters: [
        { name: 'auth', value: `user:${password}{fromName}` },
        { name: 'to', value: '{phone}' },
        { name: 'text', value: '{message}' },
      ],
    };
    await http().put('/environments/mixed/sms').send(settings).expect(200);
    const view = await http().get('/environments/mixed/sms').expect(200);
    const resent = await http()
      .put('/environments/mixed/sms')
      .send(editable(view.body));
    gateway.answer((request) => ({
      status: 400,
      body: decodeURIComponent(request.url),
    }));
    const failure = await app
      .get(SmsService)
      .send({ environment: 'mixed', phone: '+4512345678', message: 'Hi' })
      .then(
        () => new Error('the send was expected to fail'),
        (error: unknown) => error as Error,
      );

    expect(view.body.parameters[0]).toEqual({
      name: 'auth',
      value: '[redacted]{fromName}',
      hasValue: true,
    });
    expect(view.text).not.toContain(password);
    expect(resent.status).toBe(200);
    expect(decodeURIComponent(gateway.requests[0].url)).toContain(
      `auth=user:${password}Mixed`,
    );
    expect(failure.message).not.toContain(password);
  });
});

const databaseUrl = process.env.DATABASE_URL;

/** A PostgreSQL URL whose sessions use a schema of their own, and a way to drop it. */
async function postgresSchema(): Promise<{
  url: string;
  drop: () => Promise<void>;
}> {
  const { default: pg } = await import('pg');
  const schema = `env_e2e_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(databaseUrl!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

describe.each([
  ['SQLite', 'sqlite', false],
  [
    databaseUrl
      ? 'PostgreSQL'
      : 'PostgreSQL (skipped: DATABASE_URL is not set)',
    'postgres',
    !databaseUrl,
  ],
] as const)(
  'Environment settings shared by two instances on %s',
  (_label, kind, skip) => {
    const encryptionKey = randomBytes(32).toString('base64');
    let gateway: HttpsTestServer;
    let admin: Awaited<ReturnType<typeof createApp>>;
    let sender: Awaited<ReturnType<typeof createApp>>;
    let cleanUp: () => Promise<void>;

    beforeAll(async () => {
      if (skip) return;
      let storeUrl: string;
      if (kind === 'sqlite') {
        const folder = mkdtempSync(join(tmpdir(), 'sms-shared-'));
        storeUrl = `sqlite:${join(folder, 'sms.db')}`;
        cleanUp = async () => rmSync(folder, { recursive: true, force: true });
      } else {
        const schema = await postgresSchema();
        storeUrl = schema.url;
        cleanUp = schema.drop;
      }
      gateway = await HttpsTestServer.start();
      gateway.answer({ status: 200, body: { ids: [7] } });
      const options = {
        storeUrl,
        encryptionKey,
        allowPrivateNetworkUrls: true,
        smsCaPem: gateway.caPem,
      };
      admin = await createApp(options);
      sender = await createApp(options);
    });
    afterAll(async () => {
      if (skip) return;
      await admin.app.close();
      await sender.app.close();
      await gateway.close();
      await cleanUp();
    });

    const put = (token: string) =>
      admin
        .http()
        .put('/environments/shared/sms')
        .send({
          type: 'GatewayApi',
          fromName: 'Shared',
          apiUrl: `${gateway.url}/rest/mtsms`,
          clientSecret: token,
        })
        .expect(200);

    /** Sends through the other instance until its request carries the expected token. */
    const sendsWith = async (token: string) => {
      const sms = sender.app.get(SmsService);
      await vi.waitFor(
        async () => {
          gateway.requests.length = 0;
          await sms.send({
            environment: 'shared',
            phone: '+4512345678',
            message: 'Code',
          });
          expect(gateway.requests[0]?.headers.authorization).toBe(
            `Token ${token}`,
          );
        },
        { timeout: 10_000, interval: 50 },
      );
    };

    it.skipIf(skip)(
      'applies a change made through one instance to the sends of the other',
      async () => {
        await put('token-one');
        await sendsWith('token-one');
        await put('token-two');
        await sendsWith('token-two');

        await admin.http().delete('/environments/shared/sms').expect(204);
        await vi.waitFor(async () => {
          await expect(
            sender.app.get(SmsService).send({
              environment: 'shared',
              phone: '+4512345678',
              message: 'Code',
            }),
          ).rejects.toBeInstanceOf(SmsNotConfiguredError);
        });
        await sender.http().get('/environments/shared/sms').expect(404);
      },
    );
  },
);

describe.skipIf(!databaseUrl)(
  `Environment settings on PostgreSQL without a key${databaseUrl ? '' : ' (skipped: DATABASE_URL is not set)'}`,
  () => {
    it('stops start-up, naming Settings:Security:EncryptionKey', async () => {
      const schema = await postgresSchema();
      try {
        await expect(createApp({ storeUrl: schema.url })).rejects.toThrow(
          /^Settings:Security:EncryptionKey: The field EncryptionKey is required with a PostgreSQL store/,
        );
      } finally {
        await schema.drop();
      }
    });
  },
);
