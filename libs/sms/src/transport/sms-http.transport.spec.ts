import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import {
  createServer,
  type Server,
  type Socket,
  type AddressInfo,
} from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../../../../sandbox/certificates.js';
import { HttpsTestServer } from '../../../../test/support/https-test-server.js';
import {
  TRANSPORT_KINDS,
  createTransport as createTransportOf,
  type TransportFixture,
} from '../../../../test/support/sms-http-transport.fixture.js';
import type { SmsHttpRequest } from '../providers/sms-provider.interface.js';
import type { SmsModuleOptions } from '../sms-module-options.interface.js';
import { SmsTransportError } from './sms-transport.error.js';

const SECRET_HEADER = 'Bearer top-secret-token-4711';
const SECRET_QUERY = 'query-secret-value-0815';

/** A request whose header and query string must never show up in an error. */
function requestTo(baseUrl: string, extra: Partial<SmsHttpRequest> = {}) {
  return {
    method: 'POST',
    url: `${baseUrl}/send?key=${SECRET_QUERY}`,
    headers: { Authorization: SECRET_HEADER, 'Content-Type': 'text/plain' },
    body: 'hello',
    ...extra,
  } satisfies SmsHttpRequest;
}

/** The transport error a send fails with; checks that it leaks neither header nor query. */
async function failureOf(
  promise: Promise<unknown>,
): Promise<SmsTransportError> {
  const error = await promise.then(
    () => {
      throw new Error('the send was expected to fail');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SmsTransportError);
  const everything = inspect(error, { depth: 10 });
  expect(everything).not.toContain('top-secret-token');
  expect(everything).not.toContain(SECRET_QUERY);
  return error as SmsTransportError;
}

/** A TCP server that accepts connections and never says a word, not even a TLS handshake. */
async function startSilentServer(): Promise<{
  url: string;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe.each(TRANSPORT_KINDS)('SmsHttpTransport (%s)', (kind) => {
  const createTransport = (options: SmsModuleOptions) =>
    createTransportOf({ transport: kind, ...options });
  let server: HttpsTestServer;
  let fixture: TransportFixture;
  let shortTimeout: TransportFixture;

  beforeAll(async () => {
    server = await HttpsTestServer.start();
    fixture = await createTransport({ extraCaCertificates: server.caPem });
    shortTimeout = await createTransport({
      extraCaCertificates: server.caPem,
      timeoutMs: 500,
    });
  });
  afterAll(async () => {
    await fixture.close();
    await shortTimeout.close();
    await server.close();
  });
  beforeEach(() => server.clear());

  describe('answers', () => {
    it('sends the method, target, headers and body bytes, and returns the status, headers and UTF-8 body', async () => {
      server.answer({
        status: 201,
        headers: { 'x-request-id': 'r-1', 'content-type': 'text/plain' },
        body: Buffer.from('Modtaget: æøå 🙂', 'utf8'),
      });
      const response = await fixture.transport.send({
        method: 'POST',
        url: `${server.url}/a/b?x=%2B1&y=%C3%A6`,
        headers: { 'X-Api-Key': 'k-1', 'Content-Type': 'application/json' },
        body: '{"text":"æøå 🙂"}',
      });

      expect(response).toEqual({
        status: 201,
        headers: expect.objectContaining({
          'x-request-id': 'r-1',
          'content-type': 'text/plain',
        }),
        body: 'Modtaget: æøå 🙂',
      });
      const [received] = server.requests;
      expect(received.method).toBe('POST');
      expect(received.url).toBe('/a/b?x=%2B1&y=%C3%A6');
      expect(received.headers['x-api-key']).toBe('k-1');
      expect(received.headers['content-type']).toBe('application/json');
      expect(
        received.body.equals(Buffer.from('{"text":"æøå 🙂"}', 'utf8')),
      ).toBe(true);
    });

    it.each([400, 401, 403, 404, 422, 500, 502, 503])(
      'returns HTTP %i as a response, not an error',
      async (status) => {
        server.answer({
          status,
          headers: { 'retry-after': '30' },
          body: { error: 'nope' },
        });
        const response = await fixture.transport.send(requestTo(server.url));
        expect(response.status).toBe(status);
        expect(response.headers['retry-after']).toBe('30');
        expect(response.body).toBe('{"error":"nope"}');
      },
    );

    it('sends a GET without a body', async () => {
      await fixture.transport.send({
        method: 'GET',
        url: `${server.url}/sms?to=%2B4512345678`,
        headers: {},
      });
      const [received] = server.requests;
      expect(received.method).toBe('GET');
      expect(received.body).toHaveLength(0);
      expect(received.headers['content-length']).toBeUndefined();
    });
  });

  describe('redirects', () => {
    it('does not follow a 302 and reports it as a redirect that sent nothing', async () => {
      server.answer({
        status: 302,
        headers: { location: `${server.url}/elsewhere` },
      });
      const error = await failureOf(
        fixture.transport.send(requestTo(server.url)),
      );
      expect(error.kind).toBe('redirect');
      expect(error.status).toBe(302);
      expect(error.maybeSent).toBe(false);
      expect(server.requests.map((r) => r.path)).toEqual(['/send']);
    });
  });

  describe('response size', () => {
    it('stops reading a 5 MB answer beyond the 512 KiB default', async () => {
      server.answer({ status: 200, bodyBytes: 5 * 1024 * 1024 });
      const error = await failureOf(
        fixture.transport.send(requestTo(server.url)),
      );
      expect(error.kind).toBe('too-large');
      expect(error.status).toBe(200);
      expect(error.maybeSent).toBe(true);
    });

    it('reads an answer of exactly the limit and refuses one byte more', async () => {
      const small = await createTransport({
        extraCaCertificates: server.caPem,
        maxResponseBytes: 1024,
      });
      try {
        server.answer({ status: 200, bodyBytes: 1024 });
        const response = await small.transport.send(requestTo(server.url));
        expect(response.body).toBe('x'.repeat(1024));

        server.answer({ status: 400, bodyBytes: 1025 });
        const error = await failureOf(
          small.transport.send(requestTo(server.url)),
        );
        expect(error.kind).toBe('too-large');
        expect(error.status).toBe(400);
        // A refusal that was too long to read is still a refusal.
        expect(error.maybeSent).toBe(false);
      } finally {
        await small.close();
      }
    });
  });

  describe('network failures', () => {
    it('reports a closed port as a connect failure that sent nothing', async () => {
      const closed = await startSilentServer();
      await closed.close();
      const error = await failureOf(
        fixture.transport.send(requestTo(closed.url)),
      );
      expect(error.kind).toBe('connect');
      expect(error.maybeSent).toBe(false);
      expect(error.message).toContain('ECONNREFUSED');
    });

    it('refuses a server certificate from an untrusted CA at the handshake', async () => {
      const untrusting = await createTransport({});
      try {
        const error = await failureOf(
          untrusting.transport.send(requestTo(server.url)),
        );
        expect(error.kind).toBe('tls');
        expect(error.maybeSent).toBe(false);
        expect(server.requests).toHaveLength(0);
      } finally {
        await untrusting.close();
      }
    });

    it('refuses a server certificate when only another CA is added', async () => {
      const otherCa = await createCertificateAuthority({
        commonName: 'Other CA',
      });
      const other = await createTransport({
        extraCaCertificates: otherCa.certificatePem,
      });
      try {
        const error = await failureOf(
          other.transport.send(requestTo(server.url)),
        );
        expect(error.kind).toBe('tls');
        expect(error.maybeSent).toBe(false);
        expect(server.requests).toHaveLength(0);
      } finally {
        await other.close();
      }
    });

    it('trusts the CA of NODE_EXTRA_CA_CERTS alongside the extra ones', async () => {
      const otherCa = await createCertificateAuthority({
        commonName: 'Other CA',
      });
      const folder = mkdtempSync(join(tmpdir(), 'sms-ca-'));
      writeFileSync(join(folder, 'ca.pem'), server.caPem);
      vi.stubEnv('NODE_EXTRA_CA_CERTS', join(folder, 'ca.pem'));
      const both = await createTransport({
        extraCaCertificates: otherCa.certificatePem,
      });
      try {
        const response = await both.transport.send(requestTo(server.url));
        expect(response.status).toBe(200);
      } finally {
        vi.unstubAllEnvs();
        await both.close();
        rmSync(folder, { recursive: true, force: true });
      }
    });

    it('refuses a plain http URL without any network call', async () => {
      const connectionsBefore = server.tlsConnections;
      const error = await failureOf(
        fixture.transport.send(
          requestTo(server.url.replace('https:', 'http:')),
        ),
      );
      expect(error.kind).toBe('connect');
      expect(error.maybeSent).toBe(false);
      expect(server.tlsConnections).toBe(connectionsBefore);
      expect(server.requests).toHaveLength(0);
    });

    it('reports a reset after the request was written as a reset that may have sent', async () => {
      server.answer({ reset: true });
      const error = await failureOf(
        fixture.transport.send(requestTo(server.url)),
      );
      expect(error.kind).toBe('reset');
      expect(error.maybeSent).toBe(true);
      expect(server.requests).toHaveLength(1);
    });
  });

  describe('timeout', () => {
    it('times out while the server holds the answer, and the request may have been sent', async () => {
      server.answer({ hold: true });
      const error = await failureOf(
        shortTimeout.transport.send(requestTo(server.url)),
      );
      expect(error.kind).toBe('timeout');
      expect(error.maybeSent).toBe(true);
      expect(server.requests).toHaveLength(1);
    });

    it('times out before the handshake, and the request was not sent', async () => {
      const silent = await startSilentServer();
      try {
        const error = await failureOf(
          shortTimeout.transport.send(requestTo(silent.url)),
        );
        expect(error.kind).toBe('timeout');
        expect(error.maybeSent).toBe(false);
      } finally {
        await silent.close();
      }
    });

    it('covers the whole exchange, even while the answer keeps trickling in', async () => {
      // One byte every 50 ms keeps the socket busy: only a timer over the whole exchange ends it.
      server.answer({ status: 200, bodyBytes: 1_000, byteDelayMs: 50 });
      const error = await failureOf(
        shortTimeout.transport.send(requestTo(server.url)),
      );
      expect(error.kind).toBe('timeout');
      expect(error.maybeSent).toBe(true);
    });
  });

  describe('connection reuse', () => {
    it('keeps one connection alive across sends without a client certificate', async () => {
      const own = await HttpsTestServer.start();
      const transport = await createTransport({
        extraCaCertificates: own.caPem,
      });
      try {
        for (let i = 0; i < 10; i += 1) {
          await transport.transport.send(requestTo(own.url));
        }
        expect(own.requests).toHaveLength(10);
        expect(own.tlsConnections).toBe(1);
      } finally {
        await transport.close();
        await own.close();
      }
    });

    it('closes every connection when the module is destroyed', async () => {
      const own = await HttpsTestServer.start();
      const transport = await createTransport({
        extraCaCertificates: own.caPem,
      });
      try {
        await transport.transport.send(requestTo(own.url));
        expect(await own.openConnections()).toBe(1);
        await transport.close();
        await vi.waitFor(async () =>
          expect(await own.openConnections()).toBe(0),
        );
      } finally {
        await own.close();
      }
    });
  });

  describe.each(['TLSv1.2', 'TLSv1.3'] as const)(
    'mutual TLS over %s',
    (version) => {
      let clientCa: PemCertificate;
      let rightCertificate: PemCertificate;
      let wrongCertificate: PemCertificate;
      let mtls: HttpsTestServer;
      let transport: TransportFixture;

      beforeAll(async () => {
        clientCa = await createCertificateAuthority({
          commonName: 'Client CA',
        });
        const otherCa = await createCertificateAuthority({
          commonName: 'Unknown CA',
        });
        rightCertificate = await issueCertificate(clientCa, {
          commonName: 'right-client',
          usage: 'client',
        });
        wrongCertificate = await issueCertificate(otherCa, {
          commonName: 'wrong-client',
          usage: 'client',
        });
        mtls = await HttpsTestServer.start({
          clientCa: clientCa.certificatePem,
          minVersion: version,
          maxVersion: version,
        });
        transport = await createTransport({
          extraCaCertificates: mtls.caPem,
          timeoutMs: 5_000,
        });
      });
      afterAll(async () => {
        await transport.close();
        await mtls.close();
      });
      beforeEach(() => mtls.clear().answer({ status: 201, body: 'created' }));

      const withCertificate = (certificate?: PemCertificate) =>
        requestTo(mtls.url, {
          clientCertificate: certificate && {
            certificatePem: certificate.certificatePem,
            privateKeyPem: certificate.privateKeyPem,
          },
        });

      it('sends with the right client certificate', async () => {
        const response = await transport.transport.send(
          withCertificate(rightCertificate),
        );
        expect(response.status).toBe(201);
        expect(mtls.requests[0].clientCertificateCommonName).toBe(
          'right-client',
        );
      });

      it.each([
        ['no client certificate', () => undefined],
        ['a client certificate from another CA', () => wrongCertificate],
      ])(
        'fails at the handshake with %s, and nothing was sent',
        async (_, pick) => {
          const failuresBefore = mtls.tlsHandshakeFailures;
          for (let attempt = 0; attempt < 5; attempt += 1) {
            const error = await failureOf(
              transport.transport.send(withCertificate(pick())),
            );
            expect(error.kind).toBe('tls');
            expect(error.maybeSent).toBe(false);
          }
          expect(mtls.requests).toHaveLength(0);
          expect(mtls.tlsHandshakeFailures).toBeGreaterThan(failuresBefore);
        },
      );
    },
  );

  describe('client certificate agents', () => {
    let clientCa: PemCertificate;
    let mtls: HttpsTestServer;

    beforeAll(async () => {
      clientCa = await createCertificateAuthority({ commonName: 'Client CA' });
    });
    beforeEach(async () => {
      mtls = await HttpsTestServer.start({ clientCa: clientCa.certificatePem });
      mtls.answer({ status: 201, body: '{}' });
    });
    afterEach(() => mtls.close());

    const issue = (commonName: string) =>
      issueCertificate(clientCa, { commonName, usage: 'client' });
    const sendWith = (
      transport: TransportFixture,
      certificate: PemCertificate,
    ) =>
      transport.transport.send(
        requestTo(mtls.url, {
          clientCertificate: {
            certificatePem: certificate.certificatePem,
            privateKeyPem: certificate.privateKeyPem,
          },
        }),
      );

    it('reuses one agent: 50 sends at a concurrency of 5 open at most 5 TLS connections', async () => {
      const certificate = await issue('telia-client');
      const transport = await createTransport({
        extraCaCertificates: mtls.caPem,
      });
      try {
        const queue = Array.from({ length: 50 }, (_, i) => i);
        await Promise.all(
          Array.from({ length: 5 }, async () => {
            while (queue.shift() !== undefined) {
              const response = await sendWith(transport, certificate);
              expect(response.status).toBe(201);
            }
          }),
        );
        expect(mtls.requests).toHaveLength(50);
        expect(mtls.tlsConnections).toBeGreaterThan(0);
        expect(mtls.tlsConnections).toBeLessThanOrEqual(5);
        expect(transport.transport.clientAgentCount).toBe(1);
      } finally {
        await transport.close();
      }
    });

    it('keeps at most clientAgentCacheSize agents and closes the evicted one', async () => {
      const [a, b, c] = await Promise.all([issue('a'), issue('b'), issue('c')]);
      const transport = await createTransport({
        extraCaCertificates: mtls.caPem,
        clientAgentCacheSize: 2,
      });
      try {
        await sendWith(transport, a);
        await sendWith(transport, b);
        expect(transport.transport.clientAgentCount).toBe(2);
        expect(await mtls.openConnections()).toBe(2);

        await sendWith(transport, c);
        expect(transport.transport.clientAgentCount).toBe(2);
        // The agent of `a`, the least recently used, was destroyed with its connection.
        await vi.waitFor(async () =>
          expect(await mtls.openConnections()).toBe(2),
        );
        expect(mtls.requests.map((r) => r.clientCertificateCommonName)).toEqual(
          ['a', 'b', 'c'],
        );
        expect(mtls.tlsConnections).toBe(3);
      } finally {
        await transport.close();
      }
    });

    it('refuses a key that does not load, before any connection', async () => {
      const certificate = await issue('broken');
      const transport = await createTransport({
        extraCaCertificates: mtls.caPem,
      });
      try {
        const error = await failureOf(
          sendWith(transport, {
            certificatePem: certificate.certificatePem,
            privateKeyPem:
              '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n',
          }),
        );
        expect(error.kind).toBe('tls');
        expect(error.maybeSent).toBe(false);
        expect(error.message).toContain('certificatePemKey');
        expect(mtls.tlsConnections).toBe(0);
        expect(transport.transport.clientAgentCount).toBe(0);
      } finally {
        await transport.close();
      }
    });
  });
});
