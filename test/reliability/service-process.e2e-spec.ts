import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpsTestServer } from '../support/https-test-server.js';
import {
  buildCopy,
  copyRepository,
  parseBanner,
  runCommand,
  type RunningCommand,
} from '../support/service-process.js';

const TOKEN = 'process-gateway-token-value';
const API_KEY = 'process-api-key-0123456789';

/** `node dist/main.js` of the built copy, as `npm run start:prod` runs it. */
describe('the built service as a process', () => {
  let copy: { dir: string; remove(): Promise<void> };
  let server: HttpsTestServer;
  const running: RunningCommand[] = [];

  beforeAll(async () => {
    copy = await copyRepository();
    await buildCopy(copy.dir);
    server = await HttpsTestServer.start();
    await writeFile(join(copy.dir, 'provider-ca.pem'), server.caPem);
  }, 180_000);
  afterAll(async () => {
    for (const command of running) command.signal('SIGKILL');
    await server?.close();
    await copy?.remove();
  });

  const start = (env: Record<string, string>) => {
    const command = runCommand('node', ['dist/main.js'], {
      cwd: copy.dir,
      env: { HOST: '127.0.0.1', PORT: '0', ...env },
    });
    running.push(command);
    return command;
  };

  it('exits non-zero before starting, naming every bad key and no secret', async () => {
    await writeFile(
      join(copy.dir, 'invalid.json'),
      JSON.stringify({
        Settings: {
          Sms: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: 'http://gatewayapi.eu/rest/mtsms',
            ClientSecert: 'misspelt-secret-value',
          },
          Api: { TestSendLimitPerPhone: 'many' },
        },
      }),
    );

    const service = start({
      SETTINGS_FILE: 'invalid.json',
      Settings__Http__TimeoutSeconds: '-1',
    });
    const { code } = await service.exited;

    expect(code).toBe(1);
    for (const key of [
      'Settings:Sms:ApiUrl',
      'Settings:Sms:ClientSecret',
      'Settings:Sms:ClientSecert',
      'Settings:Api:TestSendLimitPerPhone',
      'Settings:Http:TimeoutSeconds',
    ]) {
      expect(service.stderr).toContain(`- ${key}: `);
    }
    expect(service.stderr).toMatch(
      /^Invalid configuration \(read from .*invalid\.json and environment variables\):/,
    );
    expect(`${service.stdout}${service.stderr}`).not.toContain(
      'misspelt-secret-value',
    );
    // Nothing of the application was built, so no port was opened.
    expect(service.stdout).not.toContain('Starting Nest application');
    expect(service.stdout).not.toContain('nest-sms is running');
  });

  it('starts with a valid file, prints how to use it, sends a test SMS, and shuts down gracefully', async () => {
    await writeFile(
      join(copy.dir, 'valid.json'),
      JSON.stringify({
        Settings: {
          Sms: {
            Type: 'GatewayApi',
            FromName: 'Acme',
            ApiUrl: `${server.url}/rest/mtsms`,
            ClientSecret: TOKEN,
          },
          Http: { ExtraCaCertificatesFile: 'provider-ca.pem' },
          Store: { Url: 'sqlite::memory:' },
        },
      }),
    );
    const service = start({
      SETTINGS_FILE: 'valid.json',
      Settings__Api__Keys__0: API_KEY,
    });
    await service.waitForOutput(/curl .*\n/);
    const banner = parseBanner(service.stdout);

    expect(banner.serviceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(service.stdout).toContain(
      'one of Settings:Api:Keys (configured; not shown)',
    );
    expect(service.stdout).not.toContain(API_KEY);
    expect(service.stdout).not.toContain('Sandbox inbox');

    server.answer({ status: 200, body: { ids: [555] } });
    const sent = await fetch(`${banner.serviceUrl}/sms/test`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${API_KEY}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        phone: '+4512345678',
        message: 'From the process',
      }),
    });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({
      provider: 'GatewayApi',
      messageId: '555',
    });
    const received = server.requests.at(-1);
    expect(received?.headers.authorization).toBe(`Token ${TOKEN}`);
    expect(JSON.parse(received?.body.toString('utf8') ?? '{}').message).toBe(
      'From the process',
    );
    await service.waitForOutput(
      /SMS sent: provider=GatewayApi .*phone=\+4512345678/,
    );
    expect(service.stdout).not.toContain(TOKEN);

    // A send still waiting for the provider when SIGTERM arrives is answered before the process ends.
    let received2!: () => void;
    const requestReceived = new Promise<void>(
      (resolve) => (received2 = resolve),
    );
    server.answerOnce(() => {
      received2();
      return { status: 200, body: { ids: [556] }, delayMs: 1000 };
    });
    const inFlight = fetch(`${banner.serviceUrl}/sms/test`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${API_KEY}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ phone: '+4512345678' }),
    });
    await requestReceived;
    service.child.kill('SIGTERM');

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ messageId: '556' });
    expect(await service.exited).toEqual({ code: 0, signal: null });
  });
});
