import { X509Certificate } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { createCertificateAuthority } from '../certificates.js';
import { startSandbox, type RunningSandbox } from './sandbox.server.js';
import {
  sandboxRequest,
  sendToGatewayApi,
} from '../testing/sandbox-https.client.js';
import { startTestSandbox } from '../testing/test-sandbox.js';
import { createTextWaiter } from '../testing/text-waiter.js';

/** The SHA-256 fingerprint of the certificate the sandbox presents. */
async function presentedCertificate(sandbox: RunningSandbox): Promise<string> {
  const ca = await readFile(sandbox.caCertificateFile, 'utf8');
  return new Promise((resolve, reject) => {
    const socket = connect(
      {
        port: Number(new URL(sandbox.url).port),
        host: '127.0.0.1',
        servername: 'localhost',
        ca,
      },
      () => {
        resolve(socket.getPeerCertificate().fingerprint256);
        socket.end();
      },
    );
    socket.on('error', reject);
  });
}

/** Writes raw bytes over TLS; `until` waits for the answer to match, `ended` for the close. */
async function rawExchange(
  sandbox: RunningSandbox,
  bytes: string,
): Promise<{
  until(pattern: RegExp): Promise<string>;
  ended: Promise<string>;
}> {
  const ca = await readFile(sandbox.caCertificateFile, 'utf8');
  const received = createTextWaiter();
  const socket = connect(
    {
      port: Number(new URL(sandbox.url).port),
      host: '127.0.0.1',
      servername: 'localhost',
      ca,
    },
    () => socket.write(bytes),
  );
  socket.setEncoding('utf8');
  socket.on('data', received.append);
  const ended = new Promise<string>((resolve, reject) => {
    socket.on('end', () => resolve(received.text()));
    socket.on('error', reject);
  });
  return { ended, until: received.until };
}

describe('startSandbox', () => {
  describe('certificates', () => {
    it('generates them on first start and reuses them on the next', async () => {
      const { sandbox, dataDir, dispose } = await startTestSandbox();
      const ca = await readFile(sandbox.caCertificateFile, 'utf8');
      const serverCertificate = await presentedCertificate(sandbox);
      await sandbox.close();

      const again = await startSandbox({ dataDir });
      try {
        expect(again.caCertificateFile).toBe(join(dataDir, 'sandbox-ca.crt'));
        expect(await readFile(again.caCertificateFile, 'utf8')).toBe(ca);
        expect(await presentedCertificate(again)).toBe(serverCertificate);
        expect(again.teliaClientCertificate).toEqual(
          sandbox.teliaClientCertificate,
        );
      } finally {
        await again.close();
        await dispose();
      }
    });

    it('issues the server and Telia client certificates from the CA it gives out', async () => {
      const { sandbox, dispose } = await startTestSandbox();
      try {
        const ca = new X509Certificate(
          await readFile(sandbox.caCertificateFile),
        );
        const client = new X509Certificate(
          sandbox.teliaClientCertificate.certificatePem,
        );
        expect(client.verify(ca.publicKey)).toBe(true);
        expect(ca.ca).toBe(true);
        expect(Date.parse(ca.validTo) - Date.now()).toBeGreaterThan(
          4 * 365 * 86_400_000,
        );
      } finally {
        await dispose();
      }
    });

    it('writes private keys readable by the owner only', async () => {
      const { dataDir, dispose } = await startTestSandbox();
      try {
        for (const name of [
          'sandbox-ca',
          'sandbox-server',
          'sandbox-telia-client',
        ]) {
          expect((await stat(join(dataDir, `${name}.key`))).mode & 0o777).toBe(
            0o600,
          );
          expect((await stat(join(dataDir, `${name}.crt`))).mode & 0o777).toBe(
            0o644,
          );
        }
      } finally {
        await dispose();
      }
    });

    it('replaces a CA that expires within seven days, and the certificates it issued', async () => {
      const { sandbox, dataDir, dispose } = await startTestSandbox();
      await sandbox.close();
      const expiring = await createCertificateAuthority({
        commonName: 'expiring',
        notAfter: new Date(Date.now() + 3 * 86_400_000),
      });
      await writeFile(join(dataDir, 'sandbox-ca.crt'), expiring.certificatePem);
      await writeFile(join(dataDir, 'sandbox-ca.key'), expiring.privateKeyPem);

      const again = await startSandbox({ dataDir });
      try {
        const ca = await readFile(again.caCertificateFile, 'utf8');
        expect(ca).not.toBe(expiring.certificatePem);
        expect(new X509Certificate(ca).subject).toBe('CN=nest-sms sandbox CA');
        expect(again.teliaClientCertificate).not.toEqual(
          sandbox.teliaClientCertificate,
        );
        const response = await sandboxRequest(again, { path: '/api/messages' });
        expect(response.status).toBe(200);
      } finally {
        await again.close();
        await dispose();
      }
    });

    it('replaces a certificate file that is not a certificate', async () => {
      const { sandbox, dataDir, dispose } = await startTestSandbox();
      await sandbox.close();
      await writeFile(join(dataDir, 'sandbox-server.crt'), 'not a certificate');

      const again = await startSandbox({ dataDir });
      try {
        expect(
          (await sandboxRequest(again, { path: '/api/messages' })).status,
        ).toBe(200);
      } finally {
        await again.close();
        await dispose();
      }
    });
  });

  describe('credentials', () => {
    it('accepts the given credentials instead of the defaults', async () => {
      const { sandbox, dispose } = await startTestSandbox({
        credentials: { gatewayApiToken: 'my-own-token' },
      });
      const send = (token: string): Promise<number> =>
        sandboxRequest(sandbox, {
          path: '/gatewayapi/rest/mtsms',
          headers: { authorization: `Token ${token}` },
          body: {
            sender: 'FoxIDs',
            message: 'Hi',
            recipients: [{ msisdn: 4512345678 }],
          },
        }).then((response) => response.status);
      try {
        expect(sandbox.credentials.gatewayApiToken).toBe('my-own-token');
        expect(sandbox.credentials.smstoolsClientSecret).toBe(
          'sandbox-smstools-secret',
        );
        expect(await send('my-own-token')).toBe(200);
        expect(await send('sandbox-gatewayapi-token')).toBe(401);
      } finally {
        await dispose();
      }
    });

    it('refuses an empty credential, naming it', async () => {
      await expect(
        startSandbox({
          dataDir: '/nonexistent',
          credentials: { teliaApiKey: ' ' },
        }),
      ).rejects.toThrow(
        'SandboxOptions.credentials.teliaApiKey: must be a non-empty string.',
      );
    });
  });

  describe('requests', () => {
    let sandbox: RunningSandbox;
    let dispose: () => Promise<void>;
    const gatewayApi = (
      headers: Record<string, string | number>,
      body: string,
    ) => sendToGatewayApi(sandbox, body, headers);

    beforeAll(async () => ({ sandbox, dispose } = await startTestSandbox()));
    afterAll(() => dispose());

    it('gives out localhost URLs', () => {
      expect(sandbox.url).toMatch(/^https:\/\/localhost:\d+$/);
      expect(sandbox.inboxUrl).toBe(`${sandbox.url}/inbox`);
      expect(sandbox.endpoints).toEqual({
        accessUrl: `${sandbox.url}/access-url/send`,
        gatewayApi: `${sandbox.url}/gatewayapi/rest/mtsms`,
        smstools: `${sandbox.url}/smstools/v1/message/send`,
        telia: `${sandbox.url}/telia/messaging/v1/outbound/12345/requests`,
      });
    });

    it('refuses a body over 64 KiB with 413 and records nothing', async () => {
      const body = JSON.stringify({
        sender: 'FoxIDs',
        message: 'x'.repeat(64 * 1024),
        recipients: [{ msisdn: 4512345678 }],
      });

      const response = await gatewayApi({}, body);

      expect(response.status).toBe(413);
      expect(response.body).toBe(
        'The request body is larger than 65536 bytes.',
      );
      expect(sandbox.messages()).toEqual([]);
    });

    it('refuses a chunked body over 64 KiB with 413', async () => {
      const response = await gatewayApi(
        { 'transfer-encoding': 'chunked' },
        'x'.repeat(70_000),
      );

      expect(response.status).toBe(413);
    });

    it('accepts a body just under the limit', async () => {
      const message = 'x'.repeat(60 * 1024);
      const body = JSON.stringify({
        sender: 'FoxIDs',
        message,
        recipients: [{ msisdn: 4512345678 }],
      });

      expect((await gatewayApi({}, body)).status).toBe(200);
      expect(sandbox.messages()[0].segments).toBe(
        Math.ceil(message.length / 153),
      );
    });

    it('answers an unknown path with 404, also one that looks like another host', async () => {
      const exchange = await rawExchange(
        sandbox,
        'GET //elsewhere.example/api/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
      );

      const answer = await exchange.ended;
      expect(answer).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
      expect(answer).toMatch(
        /\r\n\r\nNothing at \/\/elsewhere\.example\/api\/messages$/,
      );
    });

    it('answers bytes that are not HTTP with 400 and keeps serving', async () => {
      const answer = await (
        await rawExchange(sandbox, 'NOT HTTP AT ALL\r\n\r\n')
      ).ended;

      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(
        (await sandboxRequest(sandbox, { path: '/api/messages' })).status,
      ).toBe(200);
    });

    it('answers a request target that is not a path with 400', async () => {
      const exchange = await rawExchange(
        sandbox,
        'GET https://elsewhere.example/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
      );

      const answer = await exchange.ended;
      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(answer).toMatch(/\r\n\r\nThe request target must be a path\.$/);
    });
  });

  it('ends open inbox streams on close', async () => {
    const { sandbox, dispose } = await startTestSandbox();
    const stream = await rawExchange(
      sandbox,
      'GET /api/messages/stream HTTP/1.1\r\nHost: localhost\r\n\r\n',
    );
    await stream.until(/retry: 2000\n\n/);

    await dispose();

    // The last chunk marks a stream the sandbox ended, not one cut when its connection closed.
    expect(await stream.ended).toMatch(
      /^HTTP\/1\.1 200 OK\r\n[^]*\r\n0\r\n\r\n$/,
    );
  });
});
