import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { RunningSandbox } from '../server/sandbox.server.js';
import { sandboxRequest } from '../testing/sandbox-https.client.js';
import { startTestSandbox } from '../testing/test-sandbox.js';
import { createTextWaiter } from '../testing/text-waiter.js';

/** An open Server-Sent Events stream whose text accumulates as it arrives. */
interface OpenStream {
  status: number;
  headers: IncomingMessage['headers'];
  /** Resolves with the whole text so far once it matches. */
  until(pattern: RegExp): Promise<string>;
  close(): void;
}

describe('inbox', () => {
  let sandbox: RunningSandbox;
  let dispose: () => Promise<void>;

  beforeAll(async () => ({ sandbox, dispose } = await startTestSandbox()));
  afterAll(() => dispose());
  beforeEach(() =>
    sandboxRequest(sandbox, { method: 'DELETE', path: '/api/messages' }),
  );

  /** Sends through the Gateway API endpoint, for an environment when one is named. */
  function sendGatewayApi(
    message: string,
    msisdn = 4512345678,
    environment?: string,
  ): Promise<unknown> {
    const prefix =
      environment === undefined
        ? ''
        : `/env/${encodeURIComponent(environment)}`;
    return sandboxRequest(sandbox, {
      path: `${prefix}/gatewayapi/rest/mtsms`,
      headers: {
        authorization: `Token ${sandbox.credentials.gatewayApiToken}`,
      },
      body: { sender: 'FoxIDs', message, recipients: [{ msisdn }] },
    });
  }

  function sendSmstools(message: string, to: string): Promise<unknown> {
    return sandboxRequest(sandbox, {
      path: '/smstools/v1/message/send',
      headers: {
        'x-client-id': sandbox.credentials.smstoolsClientId,
        'x-client-secret': sandbox.credentials.smstoolsClientSecret,
      },
      body: { message, to, sender: 'FoxIDs' },
    });
  }

  function openStream(
    path: string,
    headers: Record<string, string> = {},
  ): Promise<OpenStream> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        new URL(path, sandbox.url),
        { ca: readFileSync(sandbox.caCertificateFile), headers, agent: false },
        (response) => {
          const received = createTextWaiter();
          response.setEncoding('utf8');
          response.on('data', received.append);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            until: received.until,
            close: () => outgoing.destroy(),
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
  }

  it('escapes every text of a message in the page and highlights its code', async () => {
    await sendGatewayApi(
      '<script>alert("x")</script> Your code is 482913',
      4512345678,
      '<img src=x onerror=alert(1)>',
    );

    const page = await sandboxRequest(sandbox, { path: '/inbox' });

    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Your code is <mark class="code">482913</mark>',
    );
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body.match(/<script/g)).toHaveLength(1);
    expect(page.body).toContain(
      '<button type="button" class="copy" data-code="482913">',
    );
  });

  it('serves the page at /inbox and sends / there, keeping the filter', async () => {
    const page = await sandboxRequest(sandbox, { path: '/inbox' });
    const root = await sandboxRequest(sandbox, { path: '/?phone=4512' });

    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>SMS sandbox inbox</title>');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/inbox?phone=4512');
    expect(root.body).toBe('');
  });

  it('answers 404 under an environment prefix, which only the provider endpoints take', async () => {
    for (const path of [
      '/env/tenant-a/inbox',
      '/env/tenant-a/api/messages',
      '/env/tenant-a/',
    ]) {
      const response = await sandboxRequest(sandbox, { path });
      expect([path, response.status, response.body]).toEqual([
        path,
        404,
        `Nothing at ${path}`,
      ]);
    }
  });

  it('runs only its own script and style under its Content-Security-Policy', async () => {
    const page = await sandboxRequest(sandbox, { path: '/inbox' });

    const policy = String(page.headers['content-security-policy']);
    const nonce = /script-src 'nonce-([^']+)'/.exec(policy)?.[1];
    expect(policy).toContain("default-src 'none'");
    expect(page.body).toContain(`<script nonce="${nonce}">`);
    expect(page.body).toContain(`<style nonce="${nonce}">`);
    expect(page.body).not.toMatch(/<(script|link)[^>]+(src|href)="(?!data:)/);
  });

  it('shows the messages newest first with provider, environment, number, sender and encoding', async () => {
    await sendGatewayApi('First 1111', 4512345678, 'tenant-a');
    await sendSmstools('Second ✅', '4798765432');

    const page = (await sandboxRequest(sandbox, { path: '/inbox' })).body;

    const second = page.indexOf('Second ✅');
    const first = page.indexOf('First <mark class="code">1111</mark>');
    expect(second).toBeGreaterThan(0);
    expect(first).toBeGreaterThan(second);
    expect(page).toContain(
      '<span class="provider provider-Smstools">Smstools</span>',
    );
    expect(
      page.match(/<span class="environment" title="[^"]*">tenant-a<\/span>/g),
    ).toHaveLength(1);
    expect(page.match(/class="environment"/g)).toHaveLength(1);
    expect(page).not.toContain('no environment');
    expect(page).toContain('<strong class="to">+4798765432</strong>');
    expect(page).toContain('<span class="encoding">UCS-2</span>');
    expect(page).toContain('<span id="count" class="count">2 messages</span>');
  });

  it('shows the raw request with the credentials masked', async () => {
    await sendSmstools('Code 482913', '4512345678');

    const page = (await sandboxRequest(sandbox, { path: '/inbox' })).body;

    expect(page).toContain(
      '<summary>Raw request</summary><pre>POST /smstools/v1/message/send\n',
    );
    expect(page).toContain('x-client-secret: [masked]');
    expect(page).not.toContain(sandbox.credentials.smstoolsClientSecret);
  });

  it('cuts a long raw body in the page but keeps it whole in the API', async () => {
    const message = `Code 482913 ${'x'.repeat(20_000)}`;
    await sendGatewayApi(message);

    const page = (await sandboxRequest(sandbox, { path: '/inbox' })).body;
    const api = (await sandboxRequest(sandbox, { path: '/api/messages' })).body;

    const pre = /<pre>([^]*?)<\/pre>/.exec(page)![1];
    expect(pre).toMatch(/\n… \d+ more characters$/);
    expect(pre.length).toBeLessThan(9 * 1024);
    const [recorded] = JSON.parse(api) as { request: { body: string } }[];
    expect(JSON.parse(recorded.request.body)).toMatchObject({ message });
  });

  it('renders the messages outside the filter hidden', async () => {
    await sendGatewayApi('Gateway 1111', 4512345678);
    await sendSmstools('Smstools 2222', '4798765432');

    const page = (
      await sandboxRequest(sandbox, {
        path: '/inbox?phone=%2B47%20987&provider=',
      })
    ).body;

    expect(page).toMatch(/data-phone="4798765432">/);
    expect(page).toMatch(/data-phone="4512345678" hidden>/);
    expect(page).toContain('value="47987"');
    expect(page).toContain('1 of 2 messages');
  });

  it('lists messages as JSON, newest first, filtered by number and provider', async () => {
    await sendGatewayApi('Gateway 1111', 4512345678);
    await sendSmstools('Smstools 2222', '4512345678');
    await sendSmstools('Smstools 3333', '4798765432');

    const list = async (query: string): Promise<string[]> => {
      const response = await sandboxRequest(sandbox, {
        path: `/api/messages${query}`,
      });
      expect(response.status).toBe(200);
      return (JSON.parse(response.body) as { text: string }[]).map(
        (m) => m.text,
      );
    };

    expect(await list('')).toEqual([
      'Smstools 3333',
      'Smstools 2222',
      'Gateway 1111',
    ]);
    expect(await list('?phone=%2B4512345678')).toEqual([
      'Smstools 2222',
      'Gateway 1111',
    ]);
    expect(await list('?provider=Smstools')).toEqual([
      'Smstools 3333',
      'Smstools 2222',
    ]);
    expect(await list('?phone=45&provider=GatewayApi')).toEqual([
      'Gateway 1111',
    ]);
  });

  it('refuses an unknown provider filter with 400 naming the field', async () => {
    const response = await sandboxRequest(sandbox, {
      path: '/api/messages?provider=Twilio',
    });

    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      message:
        'provider: must be one of AccessUrl, GatewayApi, Smstools, TeliaSmsGateway.',
    });
  });

  it('clears the inbox with DELETE /api/messages', async () => {
    await sendGatewayApi('Gateway 1111');

    const response = await sandboxRequest(sandbox, {
      method: 'DELETE',
      path: '/api/messages',
    });

    expect(response.status).toBe(204);
    expect(sandbox.messages()).toEqual([]);
    expect(
      (await sandboxRequest(sandbox, { path: '/api/messages' })).body,
    ).toBe('[]');
  });

  it('streams a new message and a clear as Server-Sent Events', async () => {
    const stream = await openStream('/api/messages/stream');
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe(
        'text/event-stream; charset=utf-8',
      );
      await stream.until(/^retry: 2000\n\n/);

      await sendGatewayApi('<b>Live</b> 482913', 4512345678);
      const text = await stream.until(/event: message\ndata: .*\n\n/);

      const [, id, data] = /id: (\d+)\nevent: message\ndata: (.*)\n\n/.exec(
        text,
      )!;
      const event = JSON.parse(data) as {
        message: { id: string; text: string };
        html: string;
      };
      expect(event.message).toEqual(sandbox.messages()[0]);
      expect(event.html).toContain(
        '&lt;b&gt;Live&lt;/b&gt; <mark class="code">482913</mark>',
      );

      await sandboxRequest(sandbox, {
        method: 'DELETE',
        path: '/api/messages',
      });
      await stream.until(
        new RegExp(`id: ${Number(id) + 1}\\nevent: clear\\ndata: \\{\\}\\n\\n`),
      );
    } finally {
      stream.close();
    }
  });

  it('sends a reconnecting reader what it missed since its Last-Event-ID', async () => {
    await sendGatewayApi('Before 1111');
    const page = (await sandboxRequest(sandbox, { path: '/inbox' })).body;
    const after = /data-after="(\d+)"/.exec(page)![1];
    await sendGatewayApi('Missed 2222');

    const stream = await openStream('/api/messages/stream', {
      'last-event-id': after,
    });
    try {
      const text = await stream.until(/Missed/);
      expect(text).not.toContain('Before');
    } finally {
      stream.close();
    }
  });
});
