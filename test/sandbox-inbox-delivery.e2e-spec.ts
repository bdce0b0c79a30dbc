import { existsSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { RunningSandbox } from '../sandbox/server/sandbox.server.js';
import { startTestSandbox } from '../sandbox/testing/test-sandbox.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from './support/service-test-app.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

/**
 * Forwards every request to the service, whose port is known only once it listens: the public URL
 * must be configured before that.
 */
function startForwarder(target: () => string): Promise<Server> {
  const server = createServer((incoming, answer) => {
    const outgoing = httpRequest(
      new URL(incoming.url ?? '/', target()),
      { method: incoming.method, headers: incoming.headers },
      (response) => {
        answer.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(answer);
      },
    );
    incoming.pipe(outgoing);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(server)),
  );
}

describe.skipIf(!hasChromium)(
  'delivery status in the sandbox inbox, in a browser',
  () => {
    let sandbox: RunningSandbox;
    let dispose: () => Promise<void>;
    let forwarder: Server;
    let service: ServiceTestApp;
    const apiKey = 'inbox-delivery-api-key-5b8c1d';
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      ({ sandbox, dispose } = await startTestSandbox());
      forwarder = await startForwarder(() => service.url);
      const { port } = forwarder.address() as AddressInfo;
      service = await startServiceTestApp({
        settings: {
          Settings: {
            Sms: {
              Type: 'GatewayApi',
              FromName: 'Acme',
              ApiUrl: sandbox.endpoints.gatewayApi,
              ClientSecret: sandbox.credentials.gatewayApiToken,
            },
            Api: { Keys: [apiKey] },
            Http: { ExtraCaCertificatesFile: sandbox.caCertificateFile },
            DeliveryReports: { PublicUrl: `http://127.0.0.1:${port}` },
          },
        },
      });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
      });
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      page = await context.newPage();
    });

    afterAll(async () => {
      await browser?.close();
      await service?.close();
      await new Promise((resolve) => forwarder?.close(resolve));
      await dispose?.();
    });

    async function sendTestSms(phone: string): Promise<string> {
      const response = await fetch(`${service.url}/sms/test`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${apiKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ phone, message: 'Your code is 482913' }),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { id: string }).id;
    }

    async function statusOf(id: string): Promise<string> {
      const response = await fetch(`${service.url}/sms/messages/${id}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      return ((await response.json()) as { status: string }).status;
    }

    it('turns each message delivered or failed live, as the service records it', async () => {
      await page.goto(sandbox.inboxUrl);
      await page.waitForSelector('#live[data-state="live"]');
      const delivered = await sendTestSms('+4512345678');
      const failed = await sendTestSms('+4512340404');

      await page.waitForSelector(
        '#messages li[data-phone="4512345678"] .delivery[data-state="posted"]',
        { timeout: 15_000 },
      );
      await page.waitForSelector(
        '#messages li[data-phone="4512340404"] .delivery[data-state="posted"]',
        { timeout: 15_000 },
      );
      expect(
        await page.textContent(
          '#messages li[data-phone="4512345678"] .delivery',
        ),
      ).toBe('delivery report: delivered (answered 204)');
      expect(
        await page.textContent(
          '#messages li[data-phone="4512340404"] .delivery',
        ),
      ).toBe('delivery report: failed (answered 204)');
      expect(await page.$$('#messages > li')).toHaveLength(2);
      expect(await statusOf(delivered)).toBe('delivered');
      expect(await statusOf(failed)).toBe('failed');
    });
  },
);
