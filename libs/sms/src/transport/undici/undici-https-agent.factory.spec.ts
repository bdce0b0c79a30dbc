import { HttpsTestServer } from '../../../../../test/support/https-test-server.js';
import { createUndiciHttpsAgent } from './undici-https-agent.factory.js';
import { SmsError } from '../../errors/sms.error.js';

describe('createUndiciHttpsAgent', () => {
  it('refuses a client key that does not load, naming the fields and not the key', () => {
    const key =
      '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END PRIVATE KEY-----\n';
    let error: unknown;
    try {
      createUndiciHttpsAgent({
        clientCertificate: { certificatePem: 'x', privateKeyPem: key },
        connectTimeoutMs: 1000,
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SmsError);
    expect((error as Error).message).toMatch(
      /^certificatePemCrt \/ certificatePemKey: the client certificate or its private key cannot be loaded/,
    );
    expect((error as Error).message).not.toContain('c2VjcmV0');
  });

  it('resolves new connections through the given lookup', async () => {
    const server = await HttpsTestServer.start();
    const hosts: string[] = [];
    const agent = createUndiciHttpsAgent({
      ca: [server.caPem],
      lookup: (hostname, options, callback) => {
        hosts.push(hostname);
        // Whatever the name, the connection goes where the lookup says.
        if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
        else callback(null, '127.0.0.1', 4);
      },
      connectTimeoutMs: 5000,
    });
    try {
      const response = await agent.request({
        origin: `https://localhost:${server.port}`,
        path: '/',
        method: 'GET',
      });
      await response.body.dump();

      expect(response.statusCode).toBe(200);
      expect(hosts).toEqual(['localhost']);
    } finally {
      await agent.destroy();
      await server.close();
    }
  });
});
