import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import {
  copyRepository,
  parseBanner,
  runCommand,
  type RunningCommand,
} from './support/service-process.js';

/** GET over HTTPS, trusting only the given CA. */
function httpsGet(
  url: string,
  ca: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca, agent: false }, (response) => {
      let body = '';
      response
        .setEncoding('utf8')
        .on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body }),
      );
    })
      .on('error', reject)
      .end();
  });
}

/**
 * The README's quick start on a fresh copy of the repository: `npm start` builds and starts the
 * service with the shipped appsettings.json (the sandbox provider enabled), and the printed `curl`
 * line sends a message that shows up in the sandbox's inbox.
 */
describe('quick start', () => {
  let copy: { dir: string; remove(): Promise<void> };
  let service: RunningCommand | undefined;

  beforeAll(async () => {
    copy = await copyRepository();
  });
  afterAll(async () => {
    service?.signal('SIGKILL');
    await copy?.remove();
  });

  it('npm start prints a curl line that sends a message into the sandbox inbox', async () => {
    // Only where it listens differs from the README: a free port on the loopback interface.
    service = runCommand('npm', ['start'], {
      cwd: copy.dir,
      env: { HOST: '127.0.0.1', PORT: '0' },
    });
    await service.waitForOutput(/curl .*\n/);
    const banner = parseBanner(service.stdout);
    const inboxUrl = /Sandbox inbox: (\S+)/.exec(service.stdout)?.[1];

    expect(inboxUrl).toBe('https://localhost:3001/inbox');
    // The README's quick start names the address start-up prints.
    const readme = await readFile(join(copy.dir, 'README.md'), 'utf8');
    expect(readme).toContain(
      `The message then shows up in the sandbox inbox (\`${inboxUrl}\`)`,
    );
    expect(service.stdout).toMatch(/API key: +\S+ +\(generated for this run\)/);
    expect(banner.apiKey).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const sent = await fetch(banner.curl.url, {
      method: 'POST',
      headers: banner.curl.headers,
      body: banner.curl.body,
    });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({
      provider: 'GatewayApi',
      source: 'site',
    });

    const ca = await readFile(join(copy.dir, 'data/sandbox/sandbox-ca.crt'));
    const messages = await httpsGet(
      new URL('/api/messages', inboxUrl).href,
      ca,
    );
    expect(messages.status).toBe(200);
    expect(JSON.parse(messages.body)).toEqual([
      expect.objectContaining({
        provider: 'GatewayApi',
        to: '+4512345678',
        text: JSON.parse(banner.curl.body).message,
      }),
    ]);
    const inbox = await httpsGet(inboxUrl ?? '', ca);
    expect(inbox.status).toBe(200);
    expect(inbox.body).toContain('<title>SMS sandbox inbox</title>');
    expect(inbox.body).toContain(JSON.parse(banner.curl.body).message);

    service.signal('SIGTERM');
    await service.exited;
  }, 180_000);

  it("fails over to the README's sandbox fallback for a Gateway API outage number", async () => {
    const readme = await readFile(join(copy.dir, 'README.md'), 'utf8');
    const fallbackEnv = Object.fromEntries(
      [...readme.matchAll(/(Settings__Sms__Fallback__\w+)=(\S+)/g)].map(
        ([, key, value]) => [key, value],
      ),
    );
    expect(Object.keys(fallbackEnv)).toHaveLength(5);
    service = runCommand('npm', ['start'], {
      cwd: copy.dir,
      env: { HOST: '127.0.0.1', PORT: '0', ...fallbackEnv },
    });
    await service.waitForOutput(/curl .*\n/);
    const banner = parseBanner(service.stdout);

    const sent = await fetch(banner.curl.url, {
      method: 'POST',
      headers: banner.curl.headers,
      body: JSON.stringify({ phone: '+4512340601', message: 'Code 123456' }),
    });

    const answer = await sent.json();
    expect(answer).toMatchObject({
      provider: 'Smstools',
      failoverFrom: 'GatewayApi',
    });
    expect(sent.status, JSON.stringify(answer)).toBe(200);
    expect(`${service.stdout}${service.stderr}`).toMatch(
      /SMS failover: from=GatewayApi to=Smstools .*reason=status 503/,
    );
    service.signal('SIGTERM');
    await service.exited;
  }, 180_000);
});
