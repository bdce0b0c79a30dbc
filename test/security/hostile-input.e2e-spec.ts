import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import fc from 'fast-check';
import {
  HttpsTestServer,
  type RecordedRequest,
} from '../support/https-test-server.js';
import { leakedForms } from '../support/provider-echo.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';
import { TRANSPORT_KINDS } from '../support/sms-http-transport.fixture.js';

const API_KEY = 'hostile-input-api-key-0123456789';
const SITE_TOKEN = 'hostile-site-token-value';
const PHONE = '+4512345678';
/** The rule for an environment's name, written out again so that the test does not trust the code's. */
const VALID_ENVIRONMENT = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** An answer as it came off the wire. */
interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * Sends one request with the path exactly as given: no client-side normalisation of `..`, `%2e`
 * or invalid percent-encodings, as a hostile client would send it.
 */
function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: hostname, port, method, path, headers: options.headers },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text,
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** The JSON of an answer, failing the test when it is not JSON. */
function jsonOf(
  answer: RawAnswer,
): { statusCode?: number; message?: unknown } & Record<string, unknown> {
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  return JSON.parse(answer.text) as Record<string, unknown>;
}

/** What the provider received, written back so that a careless log or error would repeat it. */
function echoOf(request: RecordedRequest): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(request.query);
  } catch {
    decoded = request.query;
  }
  return [
    `query: ${request.query}`,
    `decoded: ${decoded}`,
    `authorization: ${request.headers.authorization ?? ''}`,
    `x-client-secret: ${String(request.headers['x-client-secret'] ?? '')}`,
    `body: ${request.body.toString('utf8')}`,
  ].join('\n');
}

describe.each(TRANSPORT_KINDS)(
  'hostile input to the service (%s transport)',
  (transport) => {
    let server: HttpsTestServer;
    let service: ServiceTestApp;
    const auth = { Authorization: `Bearer ${API_KEY}` };
    const json = { ...auth, 'Content-Type': 'application/json' };

    beforeAll(async () => {
      server = await HttpsTestServer.start();
      service = await startServiceTestApp({
        settings: {
          Settings: {
            Sms: {
              Type: 'GatewayApi',
              FromName: 'Acme',
              ApiUrl: `${server.url}/rest/mtsms`,
              ClientSecret: SITE_TOKEN,
            },
            // The limits have their own tests; here they stay out of the way.
            Api: {
              Keys: [API_KEY],
              TestSendLimitPerPhone: 100_000,
              TestSendLimitPerKey: 100_000,
            },
            Http: {
              Transport: transport,
              TimeoutSeconds: 5,
              ExtraCaCertificatesFile: 'ca.pem',
            },
            // The test provider listens on 127.0.0.1.
            Security: { AllowPrivateNetworkUrls: true },
          },
        },
        files: { 'ca.pem': server.caPem },
      });
    });
    afterAll(async () => {
      await service?.close();
      await server?.close();
    });
    beforeEach(() => {
      server.clear();
      server.answer({ status: 200, body: { ids: [7] } });
    });

    const gatewayApiSettings = (extra: Record<string, unknown> = {}) => ({
      type: 'GatewayApi',
      fromName: 'Tenant',
      apiUrl: `${server.url}/rest/mtsms`,
      clientSecret: 'tenant-token-value',
      ...extra,
    });

    describe('environment names', () => {
      /** A path segment as sent, and the name the service reads from it (undefined: not decodable). */
      interface Segment {
        raw: string;
        name: string | undefined;
      }
      const encoded = (name: string): Segment => ({
        raw: encodeURIComponent(name),
        name,
      });
      const asSent = (raw: string): Segment => {
        try {
          return { raw, name: decodeURIComponent(raw) };
        } catch {
          return { raw, name: undefined };
        }
      };
      const encodable = (text: string) => {
        try {
          encodeURIComponent(text);
          return true;
        } catch {
          return false;
        }
      };
      const segments: fc.Arbitrary<Segment> = fc.oneof(
        fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,62}$/).map(encoded),
        fc
          .string({ unit: 'binary', maxLength: 80 })
          .filter(encodable)
          .map(encoded),
        fc.string({ unit: 'grapheme', maxLength: 70 }).map(encoded),
        fc.string({ maxLength: 70 }).map(encoded),
        fc
          .constantFrom(
            '..',
            '.',
            '%2e%2e',
            '%2E',
            'a%2Fb',
            '%2F..%2F..%2Fetc%2Fpasswd',
            '%zz',
            '%',
            'a%',
            '%00',
            'tenant%00',
            'tenant%0d%0aX-Injected:%201',
            '%ED%A0%80',
            '%C0%AE%C0%AE',
            '%EF%BC%A1',
            'A',
            'Tenant',
            '-tenant',
            '_tenant',
            'tenant%20a',
            'tenant;a',
            "tenant'or'1'='1",
            'a'.repeat(63),
            'a'.repeat(64),
            'a'.repeat(4000),
            '%61%62%63',
            '__proto__',
            'constructor',
          )
          .map(asSent),
      );

      it('answers 400 to an invalid name and normally to a valid one, never 500, on every route', async () => {
        let valid = 0;
        let invalid = 0;
        await fc.assert(
          fc.asyncProperty(segments, async ({ raw, name }) => {
            const base = `/environments/${raw}/sms`;
            const put = await rawRequest(service.url, 'PUT', base, {
              headers: json,
              body: JSON.stringify(gatewayApiSettings()),
            });
            const get = await rawRequest(service.url, 'GET', base, {
              headers: auth,
            });
            const send = await rawRequest(service.url, 'POST', `${base}/test`, {
              headers: json,
              body: JSON.stringify({ phone: PHONE }),
            });
            const remove = await rawRequest(service.url, 'DELETE', base, {
              headers: auth,
            });
            const answers = [put, get, send, remove];

            if (name !== undefined && VALID_ENVIRONMENT.test(name)) {
              valid += 1;
              expect(answers.map((a) => a.status)).toEqual([
                200, 200, 200, 204,
              ]);
              expect(jsonOf(send)).toMatchObject({
                source: 'environment',
                environment: name,
              });
            } else {
              invalid += 1;
              for (const answer of answers) {
                // 404 only when the text cannot be one path segment at all (e.g. empty): no route.
                expect([400, 404]).toContain(answer.status);
                expect(jsonOf(answer).statusCode).toBe(answer.status);
              }
            }
          }),
          { numRuns: 200 },
        );
        // Both branches must be reached, or the property says little.
        expect(valid).toBeGreaterThan(20);
        expect(invalid).toBeGreaterThan(100);
        expect(service.logs.text).not.toContain('Unexpected error');
        // Only the valid names' test sends reached the provider.
        expect(server.requests).toHaveLength(valid);
      });

      it('names the rule when refusing a name', async () => {
        const answer = await rawRequest(
          service.url,
          'GET',
          '/environments/..%2Fadmin/sms',
          {
            headers: auth,
          },
        );

        expect(answer.status).toBe(400);
        expect(jsonOf(answer).message).toEqual([
          'environment: The environment name must be 1 to 63 characters of lower-case letters, digits, "-" and "_", starting with a letter or digit.',
        ]);
      });
    });

    describe('secrets of random content', () => {
      const secrets = fc
        .string({ minLength: 8, maxLength: 40 })
        // Few distinct characters could match ordinary text by chance and prove nothing.
        .filter((secret) => new Set(secret).size >= 5);
      const kinds = fc.constantFrom('AccessUrl', 'GatewayApi', 'Smstools');

      const settingsWith = (kind: string, secret: string) => {
        const apiUrl = `${server.url}/${kind.toLowerCase()}`;
        switch (kind) {
          case 'AccessUrl':
            return {
              type: kind,
              fromName: 'Tenant',
              apiUrl,
              parameters: [
                { name: 'user', value: 'tenant-user' },
                { name: 'password', value: secret },
                { name: 'to', value: '{phone}' },
                { name: 'text', value: '{message}' },
              ],
            };
          case 'Smstools':
            return {
              type: kind,
              fromName: 'Tenant',
              apiUrl,
              clientId: 'client-1',
              clientSecret: secret,
            };
          default:
            return {
              type: kind,
              fromName: 'Tenant',
              apiUrl,
              clientSecret: secret,
            };
        }
      };

      it('never appear in a log line, an API answer or an error, even when the provider echoes them', async () => {
        let refusedByProvider = 0;
        let refusedAtPut = 0;
        await fc.assert(
          fc.asyncProperty(
            secrets,
            kinds,
            fc.boolean(),
            async (secret, kind, asJson) => {
              const firstLine = service.logs.lines.length;
              server.clear();
              server.answer((request) => {
                const echo = echoOf(request);
                return asJson
                  ? {
                      status: 400,
                      body: {
                        code: echo,
                        message: echo,
                        error: echo,
                        errorMsg: echo,
                      },
                    }
                  : {
                      status: 400,
                      headers: { 'content-type': 'text/plain' },
                      body: echo,
                    };
              });
              const path = `/environments/secrets-${kind.toLowerCase()}/sms`;

              const put = await rawRequest(service.url, 'PUT', path, {
                headers: json,
                body: JSON.stringify(settingsWith(kind, secret)),
              });
              const answers = [put];
              if (put.status === 200) {
                answers.push(
                  await rawRequest(service.url, 'GET', path, { headers: auth }),
                );
                const send = await rawRequest(
                  service.url,
                  'POST',
                  `${path}/test`,
                  {
                    headers: json,
                    body: JSON.stringify({ phone: PHONE }),
                  },
                );
                answers.push(send);
                expect(send.status).toBe(502);
                // The provider did receive the secret: the echo had something to repeat.
                expect(server.requests).toHaveLength(1);
                expect(echoOf(server.requests[0])).toContain(secret.trim());
                refusedByProvider += 1;
              } else {
                // Refused settings (e.g. a value with `{word}` in it) are a 400 naming fields, not a crash.
                expect(put.status).toBe(400);
                expect(server.requests).toHaveLength(0);
                refusedAtPut += 1;
              }
              const said = [
                ...answers.map(
                  (a) => `${JSON.stringify(a.headers)}\n${a.text}`,
                ),
                ...service.logs.lines.slice(firstLine),
              ].join('\n');
              for (const form of leakedForms(secret))
                expect(said).not.toContain(form);
            },
          ),
          { numRuns: 25 },
        );
        expect(refusedByProvider).toBeGreaterThan(10);
        expect(refusedAtPut + refusedByProvider).toBe(25);
      });
    });

    describe('deeply nested JSON', () => {
      const LEVELS = 10_000;
      const deepArray = `${'['.repeat(LEVELS)}${']'.repeat(LEVELS)}`;
      const deepObject = `${'{"a":'.repeat(LEVELS)}1${'}'.repeat(LEVELS)}`;

      it.each([
        ['a test send', 'POST', '/sms/test', `{"phone":${deepArray}}`],
        [
          'a test send',
          'POST',
          '/environments/tenant-deep/sms/test',
          `{"phone":${deepObject}}`,
        ],
        ['settings', 'PUT', '/environments/tenant-deep/sms', deepArray],
        [
          'settings',
          'PUT',
          '/environments/tenant-deep/sms',
          `{"type":"AccessUrl","parameters":${deepObject}}`,
        ],
      ])(
        'refuses %s nested %#, 10,000 levels, with 400, and stays healthy',
        async (_what, method, path, body) => {
          const answer = await rawRequest(service.url, method, path, {
            headers: json,
            body,
          });

          expect(answer.status).toBe(400);
          expect(jsonOf(answer)).toEqual({
            statusCode: 400,
            error: 'Bad Request',
            message:
              'The JSON body is nested too deeply: at most 32 levels of objects and arrays.',
            requestId: answer.headers['x-request-id'],
          });
          expect(server.requests).toHaveLength(0);
          const health = await rawRequest(service.url, 'GET', '/health', {});
          expect(health.status).toBe(200);
          const stored = await rawRequest(
            service.url,
            'GET',
            '/environments/tenant-deep/sms',
            {
              headers: auth,
            },
          );
          expect(stored.status).toBe(404);
          const normal = await rawRequest(service.url, 'POST', '/sms/test', {
            headers: json,
            body: JSON.stringify({ phone: PHONE }),
          });
          expect(normal.status).toBe(200);
        },
      );

      it('counts only real nesting: 32 levels are parsed, brackets inside text are not nesting', async () => {
        const thirtyTwo = `{"phone":${'['.repeat(31)}${']'.repeat(31)}}`;
        const thirtyThree = `{"phone":${'['.repeat(32)}${']'.repeat(32)}}`;
        const text = `{"phone":"${PHONE}","message":"${'{['.repeat(100)}\\"${']}'.repeat(100)}"}`;

        const at = await rawRequest(service.url, 'POST', '/sms/test', {
          headers: json,
          body: thirtyTwo,
        });
        const over = await rawRequest(service.url, 'POST', '/sms/test', {
          headers: json,
          body: thirtyThree,
        });
        const brackets = await rawRequest(service.url, 'POST', '/sms/test', {
          headers: json,
          body: text,
        });

        // Parsed, then refused by validation: the phone is not text.
        expect(at.status).toBe(400);
        expect(JSON.stringify(jsonOf(at).message)).toContain(
          'phone must be a string',
        );
        expect(over.status).toBe(400);
        expect(jsonOf(over).message).toContain('nested too deeply');
        expect(brackets.status).toBe(200);
        expect(
          JSON.parse(server.requests[0].body.toString('utf8')).message,
        ).toBe(`${'{['.repeat(100)}"${']}'.repeat(100)}`);
      });
    });

    describe('wrong content types', () => {
      const settingsJson = () => JSON.stringify(gatewayApiSettings());
      const cases: [string, string | undefined, () => string][] = [
        ['text/plain', 'text/plain', settingsJson],
        [
          'form-encoded',
          'application/x-www-form-urlencoded',
          () => 'type=GatewayApi&fromName=Tenant',
        ],
        [
          'multipart',
          'multipart/form-data; boundary=x',
          () => '--x\r\n\r\nphone\r\n--x--',
        ],
        ['a vendor JSON type', 'application/vnd.api+json', settingsJson],
        ['XML', 'application/xml', () => '<phone>+4512345678</phone>'],
        ['no content type', undefined, settingsJson],
      ];

      it.each(cases)(
        'refuses %s with 415 on PUT and on test sends, storing and sending nothing',
        async (_what, type, body) => {
          const headers: Record<string, string> = type
            ? { ...auth, 'Content-Type': type }
            : { ...auth };
          const answers = [
            await rawRequest(
              service.url,
              'PUT',
              '/environments/tenant-type/sms',
              { headers, body: body() },
            ),
            await rawRequest(service.url, 'POST', '/sms/test', {
              headers,
              body: `phone=${encodeURIComponent(PHONE)}`,
            }),
            await rawRequest(
              service.url,
              'POST',
              '/environments/tenant-type/sms/test',
              { headers, body: body() },
            ),
          ];

          for (const answer of answers) {
            expect(answer.status).toBe(415);
            expect(jsonOf(answer)).toEqual({
              statusCode: 415,
              error: 'Unsupported Media Type',
              message:
                'The request body must be JSON: send it with "Content-Type: application/json".',
              requestId: answer.headers['x-request-id'],
            });
          }
          expect(server.requests).toHaveLength(0);
          const stored = await rawRequest(
            service.url,
            'GET',
            '/environments/tenant-type/sms',
            { headers: auth },
          );
          expect(stored.status).toBe(404);
        },
      );

      it('still asks for the key first', async () => {
        const answer = await rawRequest(service.url, 'POST', '/sms/test', {
          headers: { 'Content-Type': 'text/plain' },
          body: PHONE,
        });

        expect([401, 415]).toContain(answer.status);
        expect(server.requests).toHaveLength(0);
      });

      it('accepts application/json with a charset, in any case', async () => {
        const answer = await rawRequest(service.url, 'POST', '/sms/test', {
          headers: {
            ...auth,
            'Content-Type': 'Application/JSON; charset=utf-8',
          },
          body: JSON.stringify({ phone: PHONE }),
        });

        expect(answer.status).toBe(200);
        expect(server.requests).toHaveLength(1);
      });
    });

    describe('header injection in settings values', () => {
      const breaks = ['\r\n', '\n', '\r', '\u0000'];

      it.each(breaks.map((b) => [JSON.stringify(b), b]))(
        'refuses %s in fromName, clientId and parameter names with 400 naming each field',
        async (_shown, lineBreak) => {
          const injected = `x${lineBreak}X-Injected: 1`;
          const smstools = await rawRequest(
            service.url,
            'PUT',
            '/environments/tenant-crlf/sms',
            {
              headers: json,
              body: JSON.stringify({
                type: 'Smstools',
                fromName: `Ac${lineBreak}X: 1`,
                apiUrl: `${server.url}/v1/message/send`,
                clientId: injected,
                clientSecret: 'tenant-secret-value',
              }),
            },
          );
          const accessUrl = await rawRequest(
            service.url,
            'PUT',
            '/environments/tenant-crlf/sms',
            {
              headers: json,
              body: JSON.stringify({
                type: 'AccessUrl',
                fromName: 'Acme',
                apiUrl: `${server.url}/sms`,
                parameters: [
                  { name: `to${lineBreak}X-Injected: 1`, value: '{phone}' },
                  { name: 'text', value: '{message}' },
                ],
              }),
            },
          );

          expect(smstools.status).toBe(400);
          expect(jsonOf(smstools).message).toEqual([
            'fromName: The field fromName must not contain line breaks, NUL or other control characters.',
            'clientId: The field clientId must not contain line breaks, NUL or other control characters.',
          ]);
          expect(accessUrl.status).toBe(400);
          expect(jsonOf(accessUrl).message).toEqual([
            'parameters[0].name: The field name must not contain line breaks, NUL or other control characters.',
          ]);
          for (const answer of [smstools, accessUrl])
            expect(answer.text).not.toContain('X-Injected');
          const stored = await rawRequest(
            service.url,
            'GET',
            '/environments/tenant-crlf/sms',
            {
              headers: auth,
            },
          );
          expect(stored.status).toBe(404);
          expect(server.requests).toHaveLength(0);
        },
      );
    });
  },
);
