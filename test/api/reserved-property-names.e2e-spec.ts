import request from 'supertest';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';

const API_KEY = 'reserved-names-key-0123456789';
// Names that every plain JavaScript object answers to, through its prototype.
const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
];
const KNOWN_TYPES = 'AccessUrl, GatewayApi, Smstools, TeliaSmsGateway';

describe('property names of the JavaScript object prototype in settings', () => {
  let service: ServiceTestApp;

  beforeAll(async () => {
    service = await startServiceTestApp({
      settings: {
        Settings: {
          Api: { Keys: [API_KEY] },
          Security: { AllowPrivateNetworkUrls: true },
        },
      },
    });
  });
  afterAll(() => service?.close());

  function put(body: string) {
    return request(service.url)
      .put('/environments/acme/sms')
      .set('Authorization', `Bearer ${API_KEY}`)
      .set('Content-Type', 'application/json')
      .send(body);
  }

  it.each(PROTOTYPE_NAMES)(
    'refuses the type %s as not one of the provider types, and says nothing else of the sender name',
    async (type) => {
      const response = await put(
        JSON.stringify({
          type,
          fromName: 'Acme',
          apiUrl: 'https://provider.example/sms',
          clientSecret: 'secret-0123456789',
        }),
      );

      expect(response.status).toBe(400);
      expect(response.body.message).toEqual([
        `type: The field type must be one of ${KNOWN_TYPES}; "${type}" is not.`,
      ]);
    },
  );

  it('names a __proto__ key of the body as unknown', async () => {
    const response = await put(
      '{"__proto__": {"type": "GatewayApi", "fromName": "A sender name far too long"}, "type": "GatewayApi", "fromName": "Acme", "apiUrl": "https://provider.example/sms", "clientSecret": "secret-0123456789"}',
    );

    expect(response.status).toBe(400);
    expect(response.body.message).toEqual([
      '__proto__: The key __proto__ is unknown.',
    ]);
  });

  it('refuses the site type __proto__ at start-up with the same message, and nothing about an undefined limit', async () => {
    const error = await startServiceTestApp({
      settings: {
        Settings: {
          Api: { Keys: [API_KEY] },
          Sms: {
            Type: '__proto__',
            FromName: 'Acme',
            ApiUrl: 'https://provider.example/sms',
            ClientSecret: 'secret-0123456789',
          },
        },
      },
    }).then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );

    expect(error?.message.split('\n').slice(1)).toEqual([
      `- Settings:Sms:Type: The field Type must be one of ${KNOWN_TYPES}; "__proto__" is not.`,
    ]);
  });

  it('names a __proto__ key of the settings file as not known, at any level, instead of ignoring it', async () => {
    const error = await startServiceTestApp({
      settingsText:
        '{"Settings": {"__proto__": {"Api": {"Keys": ["x"]}}, "Api": {"Keys": ["' +
        API_KEY +
        '"], "__proto__": {"TestSendLimitPerKey": 0}}}}',
    }).then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );

    expect(error?.message.split('\n').slice(1)).toEqual([
      '- Settings:__proto__: This key is not known; check its spelling against the documented keys.',
      '- Settings:Api:__proto__: This key is not known; check its spelling against the documented keys.',
    ]);
  });
});
