import request from 'supertest';
import { HttpsTestServer } from '../support/https-test-server.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';

const FULL_KEY = 'full-access-key-0123456789';
const KEYS = {
  send: 'scoped-send-key-0123456789',
  codes: 'scoped-codes-key-0123456789',
  admin: 'scoped-admin-key-0123456789',
  read: 'scoped-read-key-0123456789',
  metrics: 'scoped-metrics-key-0123456789',
} as const;
const ACME_KEY = 'acme-only-key-0123456789';
const UNKNOWN_KEY = 'unknown-key-0123456789abc';
const PHONE = '+4512345678';

type Scope = keyof typeof KEYS;

function gatewayApiSettings(server: HttpsTestServer) {
  return {
    Settings: {
      Sms: {
        Type: 'GatewayApi',
        FromName: 'Acme',
        ApiUrl: `${server.url}/rest/mtsms`,
        ClientSecret: 'gateway-token-s3cr3t-value',
      },
      Api: {
        Keys: [
          FULL_KEY,
          ...Object.entries(KEYS).map(([scope, key]) => ({
            Name: `only-${scope}`,
            Key: key,
            Scopes: [scope],
          })),
          {
            Name: 'acme-admin',
            Key: ACME_KEY,
            Scopes: ['send', 'codes', 'admin', 'read'],
            Environments: ['acme'],
          },
        ],
        TestSendLimitPerPhone: 1000,
        TestSendLimitPerKey: 1000,
      },
      Http: { TimeoutSeconds: 2, ExtraCaCertificatesFile: 'test-ca.pem' },
      Security: { AllowPrivateNetworkUrls: true },
    },
  };
}

/** A route, the scope it needs, and a body it accepts. */
interface Route {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  scope: Scope;
  body?: (server: HttpsTestServer) => object;
}

const environmentSettings = (server: HttpsTestServer) => ({
  type: 'GatewayApi',
  fromName: 'Beta',
  apiUrl: `${server.url}/rest/mtsms`,
  clientSecret: 'environment-token-0123456789',
});

const ROUTES: Route[] = [
  {
    method: 'post',
    path: '/sms/test',
    scope: 'send',
    body: () => ({ phone: PHONE }),
  },
  {
    method: 'post',
    path: '/environments/beta/sms/test',
    scope: 'send',
    body: () => ({ phone: PHONE }),
  },
  { method: 'post', path: '/sms/verify', scope: 'send' },
  { method: 'post', path: '/environments/beta/sms/verify', scope: 'send' },
  { method: 'get', path: '/environments/beta/sms', scope: 'read' },
  {
    method: 'put',
    path: '/environments/beta/sms',
    scope: 'admin',
    body: environmentSettings,
  },
  { method: 'delete', path: '/environments/beta/sms', scope: 'admin' },
  {
    method: 'post',
    path: '/environments/beta/sms/codes',
    scope: 'codes',
    body: () => ({ phone: '+4512345679', purpose: 'two-factor' }),
  },
  {
    method: 'post',
    path: '/environments/beta/sms/codes/verify',
    scope: 'codes',
    body: () => ({
      phone: '+4512345679',
      purpose: 'two-factor',
      code: '123456',
    }),
  },
];

describe('API key scopes and environments', () => {
  let server: HttpsTestServer;
  let service: ServiceTestApp;

  beforeAll(async () => {
    server = await HttpsTestServer.start();
    service = await startServiceTestApp({
      settings: gatewayApiSettings(server),
      files: { 'test-ca.pem': server.caPem },
    });
  });
  afterAll(async () => {
    await service?.close();
    await server?.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
    server.answer({ status: 200, body: { ids: [421332671] } });
  });

  function call(route: Route, key: string, path = route.path) {
    const pending = request(service.url)
      [route.method](path)
      .set('Authorization', `Bearer ${key}`);
    return route.body ? pending.send(route.body(server)) : pending;
  }

  describe.each(ROUTES)('$method $path', (route) => {
    it(`lets a key with the scope ${route.scope} through`, async () => {
      const response = await call(route, KEYS[route.scope]);

      expect([401, 403]).not.toContain(response.status);
    });

    it('answers 403, not 401, to a known key without the scope, and nothing reaches the provider', async () => {
      const others = Object.keys(KEYS).filter((scope) => scope !== route.scope);
      for (const scope of others) {
        const response = await call(route, KEYS[scope as Scope]);

        expect(response.status).toBe(403);
        expect(response.body).toEqual({
          statusCode: 403,
          error: 'Forbidden',
          message: `The API key only-${scope} does not have the scope ${route.scope}, which this request needs.`,
          requestId: response.headers['x-request-id'],
        });
        expect(response.headers['www-authenticate']).toBeUndefined();
      }
      expect(server.requests).toHaveLength(0);
    });

    it('still answers 401 to an unknown key', async () => {
      const response = await call(route, UNKNOWN_KEY);

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });
  });

  it('changes nothing when a settings change is refused with 403', async () => {
    const full = (method: Route['method']) =>
      call(
        {
          method,
          path: '/environments/gamma/sms',
          scope: 'admin',
          body: environmentSettings,
        },
        FULL_KEY,
      );
    expect((await full('put')).status).toBe(200);
    const before = await call(
      { method: 'get', path: '/environments/gamma/sms', scope: 'read' },
      FULL_KEY,
    );

    const put = await request(service.url)
      .put('/environments/gamma/sms')
      .set('Authorization', `Bearer ${KEYS.read}`)
      .send({ ...environmentSettings(server), fromName: 'Changed' });
    const remove = await request(service.url)
      .delete('/environments/gamma/sms')
      .set('Authorization', `Bearer ${KEYS.send}`);
    const after = await call(
      { method: 'get', path: '/environments/gamma/sms', scope: 'read' },
      FULL_KEY,
    );

    expect([put.status, remove.status]).toEqual([403, 403]);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
    expect(after.body.fromName).toBe('Beta');
  });

  describe('a key limited to some environments', () => {
    const acme = (route: Route, path: string) => call(route, ACME_KEY, path);
    const byPath = (method: string, path: string) =>
      ROUTES.find((route) => route.method === method && route.path === path)!;

    it('works on its own environment', async () => {
      const put = await acme(
        byPath('put', '/environments/beta/sms'),
        '/environments/acme/sms',
      );
      const get = await acme(
        byPath('get', '/environments/beta/sms'),
        '/environments/acme/sms',
      );
      const send = await acme(
        byPath('post', '/environments/beta/sms/test'),
        '/environments/acme/sms/test',
      );

      expect([put.status, get.status, send.status]).toEqual([200, 200, 200]);
    });

    it('gets 403 on every route of another environment, and nothing changes', async () => {
      for (const route of ROUTES.filter((r) =>
        r.path.startsWith('/environments/'),
      )) {
        const response = await acme(
          route,
          route.path.replace('/beta/', '/other/'),
        );

        expect(response.status).toBe(403);
        expect(response.body.message).toBe(
          'The API key acme-admin may not be used for the environment other.',
        );
      }
      expect(server.requests).toHaveLength(0);
      const other = await call(
        byPath('get', '/environments/beta/sms'),
        FULL_KEY,
        '/environments/other/sms',
      );
      expect(other.status).toBe(404);
    });

    it('may use the routes without an environment when it has their scope', async () => {
      const response = await acme(ROUTES[0], '/sms/test');

      expect(response.status).toBe(200);
    });
  });

  it('logs the Name of the key that changed settings, never the key', async () => {
    const put = await call(byRoute('put'), ACME_KEY, '/environments/acme/sms');
    const remove = await call(
      byRoute('delete'),
      FULL_KEY,
      '/environments/acme/sms',
    );

    expect([put.status, remove.status]).toEqual([200, 204]);
    const lines = service.logs.lines.filter((line) =>
      line.includes('environment acme'),
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /SMS settings of environment acme (created|replaced) by API key acme-admin: provider=GatewayApi/,
        ),
        expect.stringContaining(
          'SMS settings of environment acme deleted by API key key-1',
        ),
      ]),
    );
    for (const key of [FULL_KEY, ACME_KEY, ...Object.values(KEYS)]) {
      expect(service.logs.text).not.toContain(key);
    }
  });

  it('documents the scope of every protected operation in OpenAPI', async () => {
    const document = (await request(service.url).get('/docs/json')).body as {
      paths: Record<
        string,
        Record<
          string,
          {
            description: string;
            responses: Record<string, unknown>;
            'x-required-scope'?: string;
          }
        >
      >;
    };

    for (const route of ROUTES) {
      const operation =
        document.paths[route.path.replace('/beta/', '/{environment}/')][
          route.method
        ];
      expect(operation['x-required-scope']).toBe(route.scope);
      expect(operation.description).toMatch(
        new RegExp(`Needs an API key with the scope ${route.scope}\\.$`),
      );
      expect(operation.responses).toHaveProperty('403');
    }
    expect(document.paths['/health'].get['x-required-scope']).toBeUndefined();
  });

  function byRoute(method: Route['method']): Route {
    return ROUTES.find(
      (route) =>
        route.method === method && route.path === '/environments/beta/sms',
    )!;
  }
});

describe('API keys from environment variables', () => {
  it('reads Name, Key, Scopes and Environments from Settings__Api__Keys__<n>__...', async () => {
    const service = await startServiceTestApp({
      env: {
        Settings__Api__Keys__0__Name: 'reader',
        Settings__Api__Keys__0__Key: KEYS.read,
        Settings__Api__Keys__0__Scopes__0: 'read',
        Settings__Api__Keys__0__Environments__0: 'acme',
        SETTINGS__API__KEYS__1__KEY: KEYS.admin,
        SETTINGS__API__KEYS__1__NAME: 'admin',
        SETTINGS__API__KEYS__1__SCOPES__0: 'admin',
        SETTINGS__API__KEYS__1__SCOPES__1: 'read',
      },
    });
    try {
      const get = (key: string, environment: string) =>
        request(service.url)
          .get(`/environments/${environment}/sms`)
          .set('Authorization', `Bearer ${key}`);
      const remove = await request(service.url)
        .delete('/environments/acme/sms')
        .set('Authorization', `Bearer ${KEYS.read}`);

      expect((await get(KEYS.read, 'acme')).status).toBe(404);
      expect((await get(KEYS.read, 'other')).status).toBe(403);
      expect((await get(KEYS.admin, 'other')).status).toBe(404);
      expect(remove.status).toBe(403);
      expect(service.config.api.keys.map((key) => key.name)).toEqual([
        'reader',
        'admin',
      ]);
    } finally {
      await service.close();
    }
  });
});

describe('API key validation at start-up', () => {
  it('names every bad field of every key, without the keys', async () => {
    const start = startServiceTestApp({
      settings: {
        Settings: {
          Api: {
            Keys: [
              'short',
              {
                Name: 'ops',
                Key: 'ops-key-0123456789abc',
                Scopes: ['send', 'sendd'],
              },
              { Name: 'ops', Key: 'ops-key-0123456789abc', Scopes: [] },
              {
                Key: 'tiny',
                Scopes: 'send',
                Environments: ['Not valid'],
                Colour: 'red',
              },
              42,
              {
                Name: 'has space',
                Key: 'other-key-0123456789',
                Scopes: ['read'],
                Environments: [],
              },
              {
                Name: 'key-8',
                Key: 'named-like-a-position-0123',
                Scopes: ['read'],
              },
              'unnamed-key-in-8th-place-0123',
            ],
          },
        },
      },
    });

    const error = await start.then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );
    expect(error?.message.split('\n').slice(1)).toEqual([
      '- Settings:Api:Keys:0: Every entry of Keys must be at least 16 characters long.',
      '- Settings:Api:Keys:1:Scopes:1: The scope "sendd" is not known: use send, codes, admin, read or metrics.',
      '- Settings:Api:Keys:2:Scopes: The field Scopes must list at least one of send, codes, admin, read, metrics.',
      '- Settings:Api:Keys:2:Name: The name ops is already given to entry 1; every key needs its own name.',
      "- Settings:Api:Keys:2:Key: The key is the same as entry 1's; every entry needs its own key.",
      '- Settings:Api:Keys:3:Name: The field Name is required: it names the key in the log.',
      '- Settings:Api:Keys:3:Key: The field Key must be at least 16 characters long.',
      '- Settings:Api:Keys:3:Scopes: The field Scopes must be a list of scopes (as an environment variable: Settings__Api__Keys__0__Scopes__0=send).',
      '- Settings:Api:Keys:3:Environments:0: The environment name must be 1 to 63 characters of lower-case letters, digits, "-" and "_", starting with a letter or digit.',
      '- Settings:Api:Keys:3:Colour: This key is not known; an entry of Keys has Name, Key, Scopes and Environments.',
      '- Settings:Api:Keys:4: Every entry of Keys must be a key (text) or an object with Name, Key, Scopes and Environments.',
      '- Settings:Api:Keys:5:Name: The field Name must be 1 to 64 letters, digits, ".", "-" and "_".',
      '- Settings:Api:Keys:5:Environments: The field Environments must list at least one environment; leave it out for every environment.',
      '- Settings:Api:Keys:7: The name key-8 is already given to entry 6; every key needs its own name.',
    ]);
    expect(error?.message).not.toContain('ops-key-0123456789abc');
    expect(error?.message).not.toContain('tiny');
  });
});
