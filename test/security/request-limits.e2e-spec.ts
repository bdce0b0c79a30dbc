import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';

const API_KEY = 'limits-api-key-0123456789';
const OTHER_KEY = 'limits-other-key-0123456789';
const VERIFY_LIMIT = 5;
const CONCURRENT_VERIFIES = 20;
/** Far longer than any answer these tests expect: only proves that nothing waits forever. */
const NO_HANG_MS = 10_000;

/** A TCP port that accepts connections and never says a word: a provider that never answers. */
async function startSilentPort(): Promise<{
  port: number;
  connections: () => number;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => accepted,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a raw client got: the text the service wrote, and whether it closed the connection. */
interface RawExchange {
  answer: string;
  closed: boolean;
}

/**
 * Writes `head` (and nothing more) on a raw socket, then waits until the service answers a status
 * line or closes the connection, or {@link NO_HANG_MS} passes.
 */
async function rawRequest(url: string, head: string): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let answer = '';
  let closed = false;
  socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, NO_HANG_MS);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    socket.on('data', () => {
      if (/^HTTP\/1\.1 \d{3}/.test(answer)) done();
    });
    socket.on('close', () => {
      closed = true;
      done();
    });
    socket.on('error', () => undefined);
    socket.write(head);
  });
  socket.destroy();
  return { answer, closed };
}

/** The head of a POST that announces a large JSON body, and the first byte of that body. */
const announcingLargeBody = (path: string, authorization?: string) =>
  [
    `POST ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Content-Type: application/json',
    'Content-Length: 200000',
    ...(authorization ? [`Authorization: ${authorization}`] : []),
    '',
    '{',
  ].join('\r\n');

describe('verify limits', () => {
  let provider: Awaited<ReturnType<typeof startSilentPort>>;
  let service: ServiceTestApp;

  beforeAll(async () => {
    provider = await startSilentPort();
    service = await startServiceTestApp({
      settings: {
        Settings: {
          Sms: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: `https://127.0.0.1:${provider.port}/rest/mtsms`,
            ClientSecret: 'limits-token-value',
          },
          Api: { Keys: [API_KEY, OTHER_KEY], VerifyLimitPerKey: VERIFY_LIMIT },
          // The checks that are let through end at this timeout.
          Http: { TimeoutSeconds: 2 },
        },
      },
    });
  });
  afterAll(async () => {
    await service?.close();
    await provider?.close();
  });

  const verify = (path: string, key: string) =>
    fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}` },
    });

  it(`lets ${VERIFY_LIMIT} of ${CONCURRENT_VERIFIES} concurrent checks with one key connect to a provider that never answers`, async () => {
    const responses = await Promise.all(
      Array.from({ length: CONCURRENT_VERIFIES }, (_, i) =>
        // Both routes count together.
        verify(
          i % 2 === 0 ? '/sms/verify' : '/environments/tenant-a/sms/verify',
          API_KEY,
        ),
      ),
    );
    const statuses = responses.map((r) => r.status);

    expect(statuses.filter((s) => s === 200)).toHaveLength(VERIFY_LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(
      CONCURRENT_VERIFIES - VERIFY_LIMIT,
    );
    expect(provider.connections()).toBe(VERIFY_LIMIT);
    for (const response of responses.filter((r) => r.status === 429)) {
      expect(
        Number(response.headers.get('retry-after')),
      ).toBeGreaterThanOrEqual(1);
      expect(
        ((await response.json()) as { message: string }).message,
      ).toContain(`at most ${VERIFY_LIMIT} with one API key`);
    }
    // Another key has its own count.
    expect((await verify('/sms/verify', OTHER_KEY)).status).toBe(200);
  });
});

describe('slow and unauthenticated clients', () => {
  let service: ServiceTestApp;

  beforeAll(async () => {
    service = await startServiceTestApp({
      settings: {
        Settings: {
          Api: {
            Keys: [API_KEY],
            HeadersTimeoutSeconds: 1,
            RequestTimeoutSeconds: 2,
          },
        },
      },
    });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('cuts a client that announces a body and never sends it', async () => {
    const exchange = await rawRequest(
      service.url,
      announcingLargeBody('/sms/test', `Bearer ${API_KEY}`),
    );

    expect(exchange.answer.startsWith('HTTP/1.1 408') || exchange.closed).toBe(
      true,
    );
  });

  it('cuts a client that never finishes its headers', async () => {
    const exchange = await rawRequest(
      service.url,
      'POST /sms/test HTTP/1.1\r\nHost: 127.0.0.1\r\n',
    );

    expect(exchange.answer.startsWith('HTTP/1.1 408') || exchange.closed).toBe(
      true,
    );
  });

  it.each([
    ['no key', undefined],
    ['a wrong key', 'Bearer limits-wrong-key-0123456789'],
  ])(
    'answers 401 to a request with %s before reading its body',
    async (_, authorization) => {
      const exchange = await rawRequest(
        service.url,
        announcingLargeBody('/environments/acme/sms', authorization),
      );

      expect(exchange.answer).toMatch(/^HTTP\/1\.1 401 /);
      expect(exchange.answer).toMatch(/\r\nWWW-Authenticate: Bearer\r\n/i);
      expect(exchange.answer).toContain('"statusCode":401');
    },
  );

  it('keeps /health open without a key', async () => {
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
  });
});
