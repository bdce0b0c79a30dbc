import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { RunningSandbox } from '../sandbox/server/sandbox.server.js';
import { startTestSandbox } from '../sandbox/testing/test-sandbox.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from './support/service-test-app.js';

const CHROMIUM = '/usr/bin/chromium';
// `UPDATE_SCREENSHOTS=1 npm test` refreshes the picture in docs/; other runs leave the tree alone.
const SCREENSHOT = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../docs/inbox.png', import.meta.url))
  : join(tmpdir(), 'nest-sms-inbox.png');
const hasChromium = existsSync(CHROMIUM);

if (!hasChromium) {
  console.warn(
    `Skipping the sandbox inbox browser test: ${CHROMIUM} is missing (apt-get install chromium).`,
  );
}

describe.skipIf(!hasChromium)('sandbox inbox in a browser', () => {
  let sandbox: RunningSandbox;
  let dispose: () => Promise<void>;
  let service: ServiceTestApp;
  const apiKey = 'inbox-test-api-key-0123456789';
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    ({ sandbox, dispose } = await startTestSandbox());
    // The messages reach the inbox the way an operator sends them: through the service's test-send API.
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
          // An environment's settings may then point at the sandbox on localhost.
          Security: { AllowPrivateNetworkUrls: true },
        },
      },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // This test is about the page, not TLS: the specs in sandbox/ check the certificates with the
    // sandbox CA, while Chromium cannot be told to trust one extra CA without a certificate store.
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: { width: 1100, height: 900 },
      colorScheme: 'light',
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: sandbox.url,
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('request', (request) => {
      if (
        !request.url().startsWith(sandbox.url) &&
        !request.url().startsWith('data:')
      ) {
        foreignRequests.push(request.url());
      }
    });
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await dispose?.();
  });

  /** Sends a test SMS through the service: the site's, or an environment's when one is named. */
  async function sendTestSms(
    phone: string,
    message: string,
    environment?: string,
  ): Promise<void> {
    const path =
      environment === undefined
        ? '/sms/test'
        : `/environments/${environment}/sms/test`;
    const response = await fetch(service.url + path, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ phone, message }),
    });
    expect(response.status).toBe(200);
  }

  const cards = (): Promise<string[]> =>
    page.$$eval('#messages > li:not([hidden]) .text', (nodes) =>
      nodes.map((node) => node.textContent ?? ''),
    );

  it('shows new messages live, filters them, opens a raw request and clears the inbox', async () => {
    await page.goto(sandbox.inboxUrl);
    await page.waitForSelector('#live[data-state="live"]');
    expect(await page.textContent('.empty')).toBe('No messages yet.');
    // A reload would lose this mark, so finding it later proves the messages came in live.
    await page.evaluate(
      () => ((window as unknown as { loadMark: number }).loadMark = 1),
    );

    await sendTestSms('+4512345678', 'Your Acme code is 482913');
    await page.waitForFunction(
      () => document.querySelectorAll('#messages > li').length === 1,
    );
    await sendTestSms('+4798765432', 'Din engangskode: K7Q2ZP');
    await page.waitForFunction(
      () => document.querySelectorAll('#messages > li').length === 2,
    );
    await sendTestSms('+4512345678', 'Login code 7315 – valid for 5 minutes');
    await page.waitForFunction(
      () => document.querySelectorAll('#messages > li').length === 3,
    );

    expect(
      await page.evaluate(
        () => (window as unknown as { loadMark?: number }).loadMark,
      ),
    ).toBe(1);
    expect(await cards()).toEqual([
      'Login code 7315 – valid for 5 minutes',
      'Din engangskode: K7Q2ZP',
      'Your Acme code is 482913',
    ]);
    expect(await page.textContent('#count')).toBe('3 messages');
    expect(
      await page.$$eval('mark.code', (marks) =>
        marks.map((m) => m.textContent),
      ),
    ).toEqual(['7315', 'K7Q2ZP', '482913']);
    expect(await page.textContent('#messages > li:first-child .encoding')).toBe(
      'UCS-2',
    );

    const raw = page.locator('#messages > li:first-child details.raw');
    expect(await raw.locator('pre').isVisible()).toBe(false);
    await raw.locator('summary').click();
    const rawText = (await raw.locator('pre').textContent()) ?? '';
    expect(await raw.locator('pre').isVisible()).toBe(true);
    expect(rawText).toMatch(/^POST \/gatewayapi\/rest\/mtsms\n/);
    expect(rawText).toContain('authorization: Token [masked]');
    expect(rawText).toContain('"encoding": "UCS2"');
    expect(rawText).not.toContain(sandbox.credentials.gatewayApiToken);

    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await page.click('#messages > li:nth-child(3) button.copy');
    await page.waitForSelector(
      '#messages > li:nth-child(3) button.copy:text("Copied")',
    );
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      '482913',
    );

    await page.fill('#filter-phone', '+47 987');
    await page.waitForFunction(
      () => document.querySelector('#count')?.textContent === '1 of 3 messages',
    );
    expect(await cards()).toEqual(['Din engangskode: K7Q2ZP']);
    expect(new URL(page.url()).search).toBe('?phone=47987');

    await page.fill('#filter-phone', '');
    await page.selectOption('#filter-provider', 'Smstools');
    await page.waitForSelector('.empty:not([hidden])');
    expect(await page.textContent('.empty')).toBe(
      'No messages match the filter.',
    );
    await page.selectOption('#filter-provider', 'GatewayApi');
    expect(await cards()).toHaveLength(3);

    await page.click('#clear');
    await page.waitForFunction(
      () => document.querySelectorAll('#messages > li').length === 0,
    );
    expect(sandbox.messages()).toEqual([]);
    expect(await page.textContent('.empty')).toBe('No messages yet.');

    expect(pageErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });

  it("labels an environment's messages with the name in front of its endpoint path, and the site's with none", async () => {
    const put = await fetch(`${service.url}/environments/acme-staging/sms`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        type: 'GatewayApi',
        fromName: 'AcmeStage',
        apiUrl: sandbox.endpoints.gatewayApi.replace(
          sandbox.url,
          `${sandbox.url}/env/acme-staging`,
        ),
        clientSecret: sandbox.credentials.gatewayApiToken,
      }),
    });
    expect(put.status).toBe(200);
    await page.goto(sandbox.inboxUrl);
    await page.waitForSelector('#live[data-state="live"]');

    await sendTestSms('+4512345678', 'Site code 111111');
    await sendTestSms('+4512345678', 'Staging code 222222', 'acme-staging');
    await page.waitForFunction(
      () => document.querySelectorAll('#messages > li').length === 2,
    );

    const labels = await page.$$eval('#messages > li', (items) =>
      items.map((item) => [
        item.querySelector('.text')?.textContent,
        item.querySelector('.environment')?.textContent ?? null,
      ]),
    );
    expect(labels).toEqual([
      ['Staging code 222222', 'acme-staging'],
      ['Site code 111111', null],
    ]);
    expect(await page.locator('text=no environment').count()).toBe(0);
    expect(sandbox.messages().map((message) => message.environment)).toEqual([
      'acme-staging',
      null,
    ]);
    expect(pageErrors).toEqual([]);
  });
});
