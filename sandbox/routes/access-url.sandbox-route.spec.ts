import type { RunningSandbox } from '../server/sandbox.server.js';
import {
  sandboxRequest,
  type SandboxTestResponse,
} from '../testing/sandbox-https.client.js';
import { startTestSandbox } from '../testing/test-sandbox.js';

describe('Access URL endpoint', () => {
  let sandbox: RunningSandbox;
  let dispose: () => Promise<void>;

  beforeAll(async () => ({ sandbox, dispose } = await startTestSandbox()));
  afterAll(() => dispose());

  function send(query: string): Promise<SandboxTestResponse> {
    return sandboxRequest(sandbox, { path: `/access-url/send?${query}` });
  }

  const credentials = 'username=sandbox&password=sandbox-password';

  it('accepts a message, answers OK and its id, and records it with the credentials masked', async () => {
    const response = await send(
      `${credentials}&recipient=%2B4512345678&from=FoxIDs&message=Din%20kode%20er%20482913%20%26%20%C3%A6`,
    );

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toMatch(/^OK \d+$/);
    const [message] = sandbox.messages();
    expect(message).toMatchObject({
      id: response.body.slice(3),
      provider: 'AccessUrl',
      to: '+4512345678',
      from: 'FoxIDs',
      text: 'Din kode er 482913 & æ',
      encoding: 'GSM-7',
      segments: 1,
      environment: null,
    });
    expect(message.request).toMatchObject({
      method: 'GET',
      path: '/access-url/send?username=[masked]&password=[masked]&recipient=%2B4512345678&from=FoxIDs&message=Din%20kode%20er%20482913%20%26%20%C3%A6',
      body: '',
    });
    expect(JSON.stringify(sandbox.messages())).not.toContain(
      'sandbox-password',
    );
  });

  it.each([
    ['to', 'to=4512345678'],
    ['phone', 'phone=%2B4512345678'],
    ['an unencoded plus', 'recipient=+4512345678'],
  ])('reads the recipient from %s', async (_case, recipient) => {
    const response = await send(`${credentials}&${recipient}&message=Hi`);

    expect(response.status).toBe(200);
    expect(sandbox.messages()[0]).toMatchObject({
      to: '+4512345678',
      from: null,
      text: 'Hi',
    });
  });

  it.each([
    ['a wrong password', 'username=sandbox&password=wrong'],
    ['a wrong username', 'username=admin&password=sandbox-password'],
    ['no credentials', ''],
  ])('refuses %s with 401', async (_case, given) => {
    const before = sandbox.messages().length;
    const response = await send(`${given}&recipient=%2B4512345678&message=Hi`);

    expect(response.status).toBe(401);
    expect(response.body).toBe('ERROR invalid username or password');
    expect(sandbox.messages()).toHaveLength(before);
  });

  it.each([
    [
      'no recipient',
      'message=Hi',
      'ERROR recipient: is required (as recipient, to or phone).',
    ],
    [
      'a recipient that is no number',
      'recipient=%2B45abc&message=Hi',
      'ERROR recipient: must be a phone number in E.164 digits, with or without +.',
    ],
    [
      'no message',
      'recipient=%2B4512345678',
      'ERROR message: is required and must not be empty.',
    ],
  ])('refuses %s with 400 naming the parameter', async (_case, query, text) => {
    const response = await send(`${credentials}&${query}`);

    expect(response.status).toBe(400);
    expect(response.body).toBe(text);
  });

  it.each([
    ['%2B4512340500', 500, 'ERROR internal error', undefined],
    ['%2B4512340503', 503, 'ERROR service temporarily unavailable', '30'],
    ['%2B4512340429', 429, 'ERROR too many requests', '30'],
  ])(
    'fails for the magic number %s with %s',
    async (recipient, status, text, retryAfter) => {
      const before = sandbox.messages().length;
      const response = await send(
        `${credentials}&recipient=${recipient}&message=Hi`,
      );

      expect([
        response.status,
        response.body,
        response.headers['retry-after'],
      ]).toEqual([status, text, retryAfter]);
      expect(sandbox.messages()).toHaveLength(before);
    },
  );

  it('answers POST with 405', async () => {
    const response = await sandboxRequest(sandbox, {
      path: `/access-url/send?${credentials}`,
      body: 'x',
    });

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET');
  });
});
