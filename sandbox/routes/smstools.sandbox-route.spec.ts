import type { RunningSandbox } from '../server/sandbox.server.js';
import {
  sandboxRequest,
  type SandboxTestResponse,
} from '../testing/sandbox-https.client.js';
import { startTestSandbox } from '../testing/test-sandbox.js';

describe('Smstools endpoint', () => {
  let sandbox: RunningSandbox;
  let dispose: () => Promise<void>;

  beforeAll(async () => ({ sandbox, dispose } = await startTestSandbox()));
  afterAll(() => dispose());

  function send(
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<SandboxTestResponse> {
    return sandboxRequest(sandbox, {
      path: '/smstools/v1/message/send',
      headers: headers ?? {
        'x-client-id': sandbox.credentials.smstoolsClientId,
        'x-client-secret': sandbox.credentials.smstoolsClientSecret,
      },
      body,
    });
  }

  const sms = {
    message: 'Your code is 482913',
    to: '4512345678',
    sender: 'FoxIDs',
  };

  it('accepts a message, answers with its id and records it with the secret masked', async () => {
    const response = await send(sms);

    expect(response.status).toBe(200);
    const { messageid } = JSON.parse(response.body) as { messageid: string };
    expect(messageid).toMatch(/^[a-z0-9]{31}$/);
    expect(response.body).toBe(`{"messageid":"${messageid}"}`);
    const [message] = sandbox.messages();
    expect(message).toMatchObject({
      id: messageid,
      provider: 'Smstools',
      to: '+4512345678',
      from: 'FoxIDs',
      text: sms.message,
    });
    expect(message.request.headers['x-client-secret']).toBe('[masked]');
    expect(message.request.headers['x-client-id']).toBe(
      sandbox.credentials.smstoolsClientId,
    );
    expect(JSON.stringify(sandbox.messages())).not.toContain(
      sandbox.credentials.smstoolsClientSecret,
    );
  });

  it('answers several numbers with one id each', async () => {
    const response = await send({ ...sms, to: ['4512345678', '4798765432'] });

    const { messageids } = JSON.parse(response.body) as {
      messageids: string[];
    };
    expect(messageids).toHaveLength(2);
    expect(
      sandbox
        .messages()
        .slice(0, 2)
        .map((m) => [m.id, m.to]),
    ).toEqual([
      [messageids[1], '+4798765432'],
      [messageids[0], '+4512345678'],
    ]);
  });

  it.each([
    ['no headers', {}],
    [
      'a wrong secret',
      { 'x-client-id': 'sandbox-smstools-client', 'x-client-secret': 'nope' },
    ],
    [
      'a wrong client id',
      { 'x-client-id': 'other', 'x-client-secret': 'sandbox-smstools-secret' },
    ],
  ])('refuses %s with 401 and error 104', async (_case, headers) => {
    const before = sandbox.messages().length;
    const response = await send(sms, headers);

    expect(response.status).toBe(401);
    expect(response.body).toBe(
      '{"error":"104","errorMsg":"Invalid credentials"}',
    );
    expect(sandbox.messages()).toHaveLength(before);
  });

  it('refuses malformed JSON with the provider error', async () => {
    const response = await send('{"message":');

    expect(response.status).toBe(400);
    expect(response.body).toBe('{"error":"error parsing json"}');
  });

  it.each([
    ['a number with +', { ...sms, to: '+4512345678' }, 'to'],
    ['a number as a JSON number', { ...sms, to: 4512345678 }, 'to'],
    ['a sender of 12 letters', { ...sms, sender: 'ABCDEFGHIJKL' }, 'sender'],
    ['a sender of 15 digits', { ...sms, sender: '451234567890123' }, 'sender'],
    [
      'a sender with special characters',
      { ...sms, sender: 'Fox<IDs>' },
      'sender',
    ],
    ['no message', { to: sms.to, sender: sms.sender }, 'message'],
  ])('refuses %s with 400 naming the field', async (_case, body, field) => {
    const response = await send(body);

    expect(response.status).toBe(400);
    const error = JSON.parse(response.body) as {
      error: string;
      errorMsg: string;
    };
    expect(error.error).toBe('101');
    expect(error.errorMsg.startsWith(`${field}: `)).toBe(true);
  });

  it.each([
    [
      '4512340500',
      500,
      '{"error":"500","errorMsg":"Internal server error"}',
      undefined,
    ],
    [
      '4512340503',
      503,
      '{"error":"503","errorMsg":"Service temporarily unavailable"}',
      '30',
    ],
    ['4512340429', 429, '{"error":"429","errorMsg":"Too many requests"}', '30'],
  ])(
    'fails for the magic number %s with %s',
    async (to, status, body, retryAfter) => {
      const before = sandbox.messages().length;
      const response = await send({ ...sms, to });

      expect([
        response.status,
        response.body,
        response.headers['retry-after'],
      ]).toEqual([status, body, retryAfter]);
      expect(sandbox.messages()).toHaveLength(before);
    },
  );
});
