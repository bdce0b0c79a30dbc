import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import {
  createServer,
  type AddressInfo,
  type Server,
  type Socket,
} from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentSettingsStore } from '../../src/environments/store/environment-settings.store.js';
import { DRAIN_TIMEOUT_MS } from '../../src/shutdown/in-flight.drain.js';
import { HttpsTestServer } from '../support/https-test-server.js';
import {
  parseBanner,
  runServiceFromSources,
  type RunningCommand,
} from '../support/service-process.js';
import { startServiceTestApp } from '../support/service-test-app.js';

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
          'Waiting for 1 request(s) in flight to finish before shutting down.',
        );
        expect(said).toContain(
          `1 request(s) still running after ${DRAIN_TIMEOUT_MS} ms; closing the provider connections and the store anyway.`,
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
    DRAIN_TIMEOUT_MS + 20_000,
  );
});

/**
 * SIGTERM to the service as a process, with requests of every kind in flight: each is let finish
 * within the drain's bound, and one that cannot finish does not hold the exit past it.
 */
describe('shutdown of the service process', () => {
  let server: HttpsTestServer;
  let silent: Server;
  let silentPort: number;
  const silentSockets = new Set<Socket>();
  let dir: string;
  const running: RunningCommand[] = [];

  beforeAll(async () => {
    server = await HttpsTestServer.start();
    silent = createServer((socket) => {
      silentSockets.add(socket);
      socket.on('close', () => silentSockets.delete(socket));
    });
    await new Promise<void>((resolve) =>
      silent.listen(0, '127.0.0.1', resolve),
    );
    silentPort = (silent.address() as AddressInfo).port;
    dir = await mkdtemp(join(tmpdir(), 'nest-sms-shutdown-'));
    await writeFile(join(dir, 'ca.pem'), server.caPem);
  });
  afterAll(async () => {
    for (const command of running) command.signal('SIGKILL');
    for (const socket of silentSockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Starts the service with the provider at `apiUrl` and waits for its banner. */
  const start = async (apiUrl: string) => {
    await writeFile(
      join(dir, 'appsettings.json'),
      JSON.stringify({
        Settings: {
          Sms: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: apiUrl,
            ClientSecret: 'shutdown-token-value',
          },
          Api: { Keys: [API_KEY] },
          Store: { Url: 'sqlite::memory:' },
          Security: { EncryptionKey: randomBytes(32).toString('base64') },
          // Far longer than the drain's bound: only shutdown can end what never gets an answer.
          Http: { TimeoutSeconds: 120, ExtraCaCertificatesFile: 'ca.pem' },
        },
      }),
    );
    const service = runServiceFromSources({
      cwd: dir,
      env: { HOST: '127.0.0.1', PORT: '0' },
    });
    running.push(service);
    await service.waitForOutput(/curl .*\n/);
    return { service, url: parseBanner(service.stdout).serviceUrl };
  };
  const post = (url: string, body?: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${API_KEY}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
    }));

  it(
    'lets a one-time code send in flight finish when the provider answers within the bound',
    async () => {
      const { service, url } = await start(`${server.url}/rest/mtsms`);
      let received!: () => void;
      const requestReceived = new Promise<void>(
        (resolve) => (received = resolve),
      );
      server.answer(() => {
        received();
        return { status: 200, body: { ids: [777] }, delayMs: 2_000 };
      });
      const inFlight = post(`${url}/environments/acme/sms/codes`, {
        phone: '+4512345678',
        purpose: 'two-factor',
      });
      await requestReceived;
      service.signal('SIGTERM');

      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(answer.body).toHaveProperty('expiresAt');
      expect(await service.exited).toEqual({ code: 0, signal: null });
      expect(service.stdout).toContain(
        'Waiting for 1 request(s) in flight to finish before shutting down.',
      );
    },
    DRAIN_TIMEOUT_MS + 30_000,
  );

  it(
    'ends a connection check to a provider that never answers at the bound, and exits',
    async () => {
      const { service, url } = await start(
        `https://127.0.0.1:${silentPort}/rest/mtsms`,
      );
      const connected = new Promise((resolve) =>
        silent.once('connection', resolve),
      );
      const inFlight = post(`${url}/sms/verify`);
      await connected;
      const signalled = performance.now();
      service.signal('SIGTERM');

      // Generous: proves only that the exit is not held until the check's own timeout (120 s).
      const exit = await Promise.race([
        service.exited,
        new Promise<'held'>((resolve) =>
          setTimeout(() => resolve('held'), DRAIN_TIMEOUT_MS + 10_000),
        ),
      ]);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(performance.now() - signalled).toBeLessThan(
        DRAIN_TIMEOUT_MS + 10_000,
      );
      const answer = await inFlight;
      expect(answer.status).toBe(503);
      expect(service.stdout).toContain('1 request(s) still running after');
    },
    DRAIN_TIMEOUT_MS + 30_000,
  );
});
