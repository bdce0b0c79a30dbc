import { EnvironmentSettingsStore } from '../src/environments/store/environment-settings.store.js';
import { TEST_SEND_DRAIN_TIMEOUT_MS } from '../src/sms-test/test-send.drain.js';
import { HttpsTestServer } from './support/https-test-server.js';
import { startServiceTestApp } from './support/service-test-app.js';

const API_KEY = 'shutdown-api-key-0123456789';

/**
 * What `service-process.e2e-spec.ts` and `service-api.e2e-spec.ts` leave out: a send that does not
 * finish does not hold shutdown up past its bound, and the provider connections and the store are
 * closed afterwards.
 */
describe('shutdown with a send the provider never answers', () => {
  it(
    'waits for it no longer than its bound, then closes the provider connections and the store',
    async () => {
      const server = await HttpsTestServer.start();
      const service = await startServiceTestApp({
        settings: {
          Settings: {
            Sms: {
              Type: 'GatewayApi',
              FromName: 'Acme',
              ApiUrl: `${server.url}/rest/mtsms`,
              ClientSecret: 'shutdown-token-value',
            },
            Api: { Keys: [API_KEY] },
            // Far longer than the drain's bound: only shutdown can end this send.
            Http: { TimeoutSeconds: 600, ExtraCaCertificatesFile: 'ca.pem' },
          },
        },
        files: { 'ca.pem': server.caPem },
      });
      const store = service.app.get(EnvironmentSettingsStore);
      const firstLine = service.logs.lines.length;
      try {
        let received!: () => void;
        const requestReceived = new Promise<void>(
          (resolve) => (received = resolve),
        );
        server.answer(() => {
          received();
          return { hold: true };
        });
        const inFlight = fetch(`${service.url}/sms/test`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${API_KEY}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ phone: '+4512345678' }),
        }).then(async (response) => ({
          status: response.status,
          body: (await response.json()) as Record<string, unknown>,
        }));
        await requestReceived;
        expect(await server.openConnections()).toBe(1);

        await service.app.close();
        const answer = await inFlight;

        const said = service.logs.lines.slice(firstLine).join('\n');
        expect(said).toContain(
          'Waiting for 1 test send(s) to finish before shutting down.',
        );
        expect(said).toContain(
          `1 test send(s) still running after ${TEST_SEND_DRAIN_TIMEOUT_MS} ms; shutting down anyway.`,
        );
        // The client is not left hanging: it is told that the message may have gone.
        expect(answer.status).toBe(502);
        expect(answer.body).toMatchObject({
          provider: 'GatewayApi',
          maybeSent: true,
        });
        expect(await server.openConnections()).toBe(0);
        await expect(store.ping()).rejects.toThrow();
        expect(server.requests).toHaveLength(1);
      } finally {
        await service.close();
        await server.close();
      }
    },
    TEST_SEND_DRAIN_TIMEOUT_MS + 20_000,
  );
});
