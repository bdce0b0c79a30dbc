import type { RunningSandbox } from '../server/sandbox.server.js';
import {
  sandboxRequest,
  sendToGatewayApi,
  type SandboxTestResponse,
} from '../testing/sandbox-https.client.js';
import { startTestSandbox } from '../testing/test-sandbox.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Gateway API endpoint', () => {
  let sandbox: RunningSandbox;
  let dispose: () => Promise<void>;

  beforeAll(async () => ({ sandbox, dispose } = await startTestSandbox()));
  afterAll(() => dispose());

  function send(
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<SandboxTestResponse> {
    return sendToGatewayApi(sandbox, body, headers);
  }

  function sms(
    overrides: Record<string, unknown> = {},
  ): Record<string, unknown> {
    return {
      sender: 'FoxIDs',
      message: 'Your code is 482913',
      recipients: [{ msisdn: 4512345678 }],
      label: 'login',
      ...overrides,
    };
  }

  it('accepts a message, answers with its id and records it with the token masked', async () => {
    const response = await send(sms());

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(
      'application/json; charset=utf-8',
    );
    const body = JSON.parse(response.body) as { ids: number[] };
    expect(response.body).toBe(
      `{"ids":[${body.ids[0]}],"usage":{"countries":{"DK":1},"currency":"EUR","total_cost":0}}`,
    );
    const [message] = sandbox.messages();
    expect(message).toMatchObject({
      id: String(body.ids[0]),
      provider: 'GatewayApi',
      to: '+4512345678',
      from: 'FoxIDs',
      text: 'Your code is 482913',
      encoding: 'GSM-7',
      segments: 1,
      environment: null,
      request: { method: 'POST', path: '/gatewayapi/rest/mtsms' },
    });
    expect(message.request.headers.authorization).toBe('Token [masked]');
    expect(JSON.parse(message.request.body)).toEqual(sms());
    expect(JSON.stringify(sandbox.messages())).not.toContain(
      sandbox.credentials.gatewayApiToken,
    );
  });

  it('records the environment named in front of its path, decoded, and keeps the path as sent', async () => {
    const response = await sandboxRequest(sandbox, {
      path: '/env/tenant%20a/gatewayapi/rest/mtsms?x=1',
      headers: {
        authorization: `Token ${sandbox.credentials.gatewayApiToken}`,
      },
      body: sms(),
    });

    expect(response.status).toBe(200);
    expect(sandbox.messages()[0]).toMatchObject({
      environment: 'tenant a',
      request: { path: '/env/tenant%20a/gatewayapi/rest/mtsms?x=1' },
    });
  });

  it('ignores an X-Sms-Environment header, which no provider client sends', async () => {
    await send(sms(), { 'x-sms-environment': 'tenant-a' });
    expect(sandbox.messages()[0].environment).toBeNull();
  });

  it('answers 404 for an environment prefix with no endpoint path after it', async () => {
    const before = sandbox.messages().length;
    const response = await sandboxRequest(sandbox, {
      path: '/env/tenant-a',
      headers: {
        authorization: `Token ${sandbox.credentials.gatewayApiToken}`,
      },
      body: sms(),
    });

    expect(response.status).toBe(404);
    expect(sandbox.messages()).toHaveLength(before);
  });

  it('accepts UCS-2 text with encoding UCS2 and counts its segments', async () => {
    const text = 'Din kode er 482913 ✅ '.repeat(4);
    const response = await send(sms({ message: text, encoding: 'UCS2' }));

    expect(response.status).toBe(200);
    expect(sandbox.messages()[0]).toMatchObject({
      text,
      encoding: 'UCS-2',
      segments: 2,
    });
  });

  it('records one message per recipient, each with its own id', async () => {
    const response = await send(
      sms({ recipients: [{ msisdn: 4512345678 }, { msisdn: 4798765432 }] }),
    );

    const { ids, usage } = JSON.parse(response.body) as {
      ids: number[];
      usage: unknown;
    };
    expect(ids).toHaveLength(2);
    expect(usage).toEqual({
      countries: { DK: 1, NO: 1 },
      currency: 'EUR',
      total_cost: 0,
    });
    expect(
      sandbox
        .messages()
        .slice(0, 2)
        .map((m) => [m.id, m.to]),
    ).toEqual([
      [String(ids[1]), '+4798765432'],
      [String(ids[0]), '+4512345678'],
    ]);
  });

  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Token not-the-token' }],
    [
      'the token with another scheme',
      { authorization: 'Bearer sandbox-gatewayapi-token' },
    ],
  ])('refuses %s with 401 in the provider shape', async (_case, headers) => {
    const before = sandbox.messages().length;
    const response = await sandboxRequest(sandbox, {
      path: '/gatewayapi/rest/mtsms',
      headers,
      body: sms(),
    });

    expect(response.status).toBe(401);
    const body = JSON.parse(response.body) as Record<string, unknown>;
    expect(body).toEqual({
      code: '0x0213',
      message: 'Missing or invalid API token.',
      incident_uuid: expect.stringMatching(UUID),
    });
    expect(sandbox.messages()).toHaveLength(before);
  });

  it.each([
    [
      'a msisdn sent as a string',
      sms({ recipients: [{ msisdn: '4512345678' }] }),
      'recipients[0].msisdn',
    ],
    [
      'a msisdn that is no phone number',
      sms({ recipients: [{ msisdn: 12 }] }),
      'recipients[0].msisdn',
    ],
    ['no recipients', sms({ recipients: [] }), 'recipients'],
    ['a sender of 12 letters', sms({ sender: 'ABCDEFGHIJKL' }), 'sender'],
    ['an empty message', sms({ message: '' }), 'message'],
    ['an unknown encoding', sms({ encoding: 'UTF8' }), 'encoding'],
    [
      'UCS-2 text without encoding UCS2',
      sms({ message: 'Kode 482913 ✅' }),
      'encoding',
    ],
    ['a JSON array', [sms()], 'body'],
  ])('refuses %s with 422 naming the field', async (_case, body, field) => {
    const before = sandbox.messages().length;
    const response = await send(body);

    expect(response.status).toBe(422);
    const error = JSON.parse(response.body) as Record<string, unknown>;
    expect(error).toMatchObject({ code: '0x0216', variables: [field] });
    expect(error.message).toMatch(
      new RegExp(`^Invalid ${field.replace(/[[\]]/g, '\\$&')}: `),
    );
    expect(sandbox.messages()).toHaveLength(before);
  });

  it('accepts a sender of 15 digits', async () => {
    expect((await send(sms({ sender: '451234567890123' }))).status).toBe(200);
  });

  it('refuses malformed JSON with 422', async () => {
    const response = await send('{"sender":"FoxIDs",');

    expect(response.status).toBe(422);
    expect(JSON.parse(response.body)).toMatchObject({
      code: '0x0216',
      message: 'The body is not valid JSON.',
    });
  });

  it.each([
    [4512340500, 500, '0x0500', undefined],
    [4512340503, 503, '0x0503', '30'],
    [4512340429, 429, '0x0429', '30'],
  ])(
    'fails for the magic number %s with %s',
    async (msisdn, status, code, retryAfter) => {
      const before = sandbox.messages().length;
      const response = await send(sms({ recipients: [{ msisdn }] }));

      expect(response.status).toBe(status);
      expect(response.headers['retry-after']).toBe(retryAfter);
      expect(JSON.parse(response.body)).toMatchObject({
        code,
        incident_uuid: expect.stringMatching(UUID),
      });
      expect(sandbox.messages()).toHaveLength(before);
    },
  );

  it('answers other methods with 405', async () => {
    const response = await sandboxRequest(sandbox, {
      path: '/gatewayapi/rest/mtsms',
    });

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST');
  });
});
