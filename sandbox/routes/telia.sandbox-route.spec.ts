import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../certificates.js';
import type { RunningSandbox } from '../server/sandbox.server.js';
import {
  sandboxRequest,
  type SandboxTestResponse,
} from '../testing/sandbox-https.client.js';
import { startTestSandbox } from '../testing/test-sandbox.js';

describe('Telia SMS Gateway endpoint', () => {
  let sandbox: RunningSandbox;
  let dispose: () => Promise<void>;
  let foreignClient: PemCertificate;

  beforeAll(async () => {
    ({ sandbox, dispose } = await startTestSandbox());
    const otherCa = await createCertificateAuthority({
      commonName: 'Another CA',
    });
    foreignClient = await issueCertificate(otherCa, {
      commonName: 'intruder',
      usage: 'client',
    });
  });
  afterAll(() => dispose());

  function outbound(
    overrides: Record<string, unknown> = {},
  ): Record<string, unknown> {
    return {
      outboundMessageRequest: {
        address: ['tel:+4512345678'],
        senderAddress: '12345',
        senderName: 'FoxIDs',
        outboundSMSTextMessage: { message: 'Your code is 482913' },
        clientCorrelator: crypto.randomUUID(),
        ...overrides,
      },
    };
  }

  function send(
    body: unknown,
    options: {
      path?: string;
      headers?: Record<string, string>;
      clientCertificate?: PemCertificate | null;
    } = {},
  ): Promise<SandboxTestResponse> {
    return sandboxRequest(sandbox, {
      path: options.path ?? '/telia/messaging/v1/outbound/12345/requests',
      headers: options.headers ?? {
        authorization: `Bearer ${sandbox.credentials.teliaApiKey}`,
      },
      clientCertificate:
        options.clientCertificate === null
          ? undefined
          : (options.clientCertificate ?? sandbox.teliaClientCertificate),
      body,
    });
  }

  it('gives out an endpoint URL for the sender address 12345', () => {
    expect(sandbox.endpoints.telia).toBe(
      `${sandbox.url}/telia/messaging/v1/outbound/12345/requests`,
    );
  });

  it('accepts a message over mutual TLS, answers 201 with its resource and records it', async () => {
    const response = await send(outbound(), {
      path: '/env/tenant-b/telia/messaging/v1/outbound/12345/requests',
      headers: { authorization: `Bearer ${sandbox.credentials.teliaApiKey}` },
    });

    expect(response.status).toBe(201);
    const resourceURL = `${sandbox.url}/env/tenant-b/telia/messaging/v1/outbound/12345/requests/${sandbox.messages()[0].id}`;
    expect(response.body).toBe(
      `{"resourceReference":{"resourceURL":"${resourceURL}"}}`,
    );
    expect(response.headers.location).toBe(resourceURL);
    expect(sandbox.messages()[0]).toMatchObject({
      provider: 'TeliaSmsGateway',
      to: '+4512345678',
      from: 'FoxIDs',
      text: 'Your code is 482913',
      environment: 'tenant-b',
      request: { headers: { authorization: 'Bearer [masked]' } },
    });
    expect(JSON.stringify(sandbox.messages())).not.toContain(
      sandbox.credentials.teliaApiKey,
    );
  });

  it.each([
    ['no client certificate', null],
    ['a client certificate from another CA', 'foreign'],
  ] as const)(
    'refuses %s with 403 and an empty body',
    async (_case, certificate) => {
      const before = sandbox.messages().length;
      const response = await send(outbound(), {
        clientCertificate: certificate === null ? null : foreignClient,
      });

      expect(response.status).toBe(403);
      expect(response.body).toBe('');
      expect(response.headers['content-length']).toBe('0');
      expect(sandbox.messages()).toHaveLength(before);
    },
  );

  it('refuses a wrong API key with 401 and a policy exception', async () => {
    const response = await send(outbound(), {
      headers: { authorization: 'Bearer wrong' },
    });

    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toEqual({
      requestError: {
        policyException: {
          messageId: 'POL0001',
          text: 'A policy error occurred: %1',
          variables: ['missing or invalid API key'],
        },
      },
    });
  });

  it('answers a retry with the same clientCorrelator with the first resource, recording once', async () => {
    const body = outbound({ clientCorrelator: 'login-7f3a' });
    const first = await send(body);
    const before = sandbox.messages().length;
    const retry = await send(body);

    expect(retry.status).toBe(201);
    expect(retry.body).toBe(first.body);
    expect(sandbox.messages()).toHaveLength(before);
  });

  it('refuses malformed JSON with 400 in plain text', async () => {
    const response = await send('{"outboundMessageRequest":');

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toBe('Bad Request: the body is not valid JSON.');
  });

  it.each([
    [
      'a body without the root element',
      { address: ['tel:+4512345678'] },
      'SVC0002',
      'outboundMessageRequest',
    ],
    [
      'an address without tel:',
      outbound({ address: ['+4512345678'] }),
      'SVC0004',
      'address',
    ],
    ['no address', outbound({ address: [] }), 'SVC0004', 'address'],
    [
      'another senderAddress than the URL',
      outbound({ senderAddress: '54321' }),
      'SVC0002',
      'senderAddress',
    ],
    [
      'no message',
      outbound({ outboundSMSTextMessage: {} }),
      'SVC0002',
      'outboundSMSTextMessage.message',
    ],
    [
      'an empty clientCorrelator',
      outbound({ clientCorrelator: '' }),
      'SVC0002',
      'clientCorrelator',
    ],
  ])(
    'refuses %s with 400 and a service exception',
    async (_case, body, messageId, field) => {
      const before = sandbox.messages().length;
      const response = await send(body);

      expect(response.status).toBe(400);
      const { requestError } = JSON.parse(response.body) as {
        requestError: {
          serviceException: { messageId: string; variables: string[] };
        };
      };
      expect(requestError.serviceException.messageId).toBe(messageId);
      expect(requestError.serviceException.variables[0]).toBe(field);
      expect(sandbox.messages()).toHaveLength(before);
    },
  );

  it('takes the sender address from the URL, decoded', async () => {
    const response = await send(
      outbound({ senderAddress: 'tel:+4570000000' }),
      {
        path: '/telia/messaging/v1/outbound/tel%3A%2B4570000000/requests',
      },
    );

    expect(response.status).toBe(201);
    expect(response.headers.location).toContain(
      '/outbound/tel%3A%2B4570000000/requests/',
    );
  });

  it.each([
    ['tel:+4512340500', 500, 'serviceException', 'SVC0001', undefined],
    ['tel:+4512340503', 503, 'serviceException', 'SVC0001', '30'],
    ['tel:+4512340429', 403, 'policyException', 'POL3003', '30'],
  ])(
    'fails for the magic number %s with %s',
    async (address, status, kind, messageId, retryAfter) => {
      const before = sandbox.messages().length;
      const response = await send(outbound({ address: [address] }));

      expect(response.status).toBe(status);
      expect(response.headers['retry-after']).toBe(retryAfter);
      expect(JSON.parse(response.body)).toMatchObject({
        requestError: { [kind]: { messageId } },
      });
      expect(sandbox.messages()).toHaveLength(before);
    },
  );
});
