import { generateKeyPairSync } from 'node:crypto';
import type { SmsSettings } from './sms-settings.interface.js';
import {
  createSecretRedactor,
  createSendRedactor,
  REDACTED,
} from './secret-redactor.js';

const SECRET = 'Zq7-Kp92-Wd4x-Hm5s';

const gatewayApi = (clientSecret = SECRET): SmsSettings => ({
  type: 'GatewayApi',
  fromName: 'Acme',
  apiUrl: 'https://gatewayapi.eu/rest/mtsms',
  clientSecret,
});

/** Every three-character run of `text`. */
const triples = (text: string) =>
  Array.from({ length: text.length - 2 }, (_, i) => text.slice(i, i + 3));

describe('secret redactor', () => {
  it('replaces a secret as it is, percent-encoded, form-encoded and JSON-escaped', () => {
    const secret = 'p@ss "word" & (more)';
    const redact = createSecretRedactor(gatewayApi(secret));
    const forms = [
      secret,
      encodeURIComponent(secret),
      encodeURIComponent(secret).replace(/%20/g, '+'),
      JSON.stringify(secret).slice(1, -1),
    ];

    for (const form of forms)
      expect(redact(`before ${form} after`)).toBe(`before ${REDACTED} after`);
  });

  it('replaces the base64, base64url and hex forms of a secret, padded or not', () => {
    const redact = createSecretRedactor(gatewayApi());
    const bytes = Buffer.from(SECRET);
    const forms = [
      bytes.toString('base64'),
      bytes.toString('base64').replace(/=+$/, ''),
      bytes.toString('base64url'),
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase(),
    ];

    for (const form of forms)
      expect(redact(`token ${form}.`)).toBe(`token ${REDACTED}.`);
  });

  it.each(['', 'u:', 'us:', 'use:'])(
    'leaves no part of a secret decodable from base64 of a longer text (after %j)',
    (prefix) => {
      const redact = createSecretRedactor(gatewayApi());
      const encoded = Buffer.from(`${prefix}${SECRET}:tail`).toString('base64');

      const redacted = redact(`Basic ${encoded}`);

      expect(redacted).toContain(REDACTED);
      const decoded = redacted
        .replace(/^Basic /, '')
        .split(REDACTED)
        .map((piece) => Buffer.from(piece, 'base64').toString('latin1'))
        .join(' ');
      for (const triple of triples(SECRET))
        expect(decoded).not.toContain(triple);
    },
  );

  it('replaces any run of 16 or more characters of the private key body, and leaves shorter ones', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const body = pem
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('-----'))
      .join('');
    const redact = createSecretRedactor({
      ...gatewayApi(),
      type: 'TeliaSmsGateway',
      certificatePemKey: pem,
    });
    // Across the end of a PEM line, and as a JSON or URL echo would write it.
    const run = body.slice(50, 80);
    const echoes = [
      run,
      JSON.stringify(pem.slice(100, 300)).slice(1, -1),
      encodeURIComponent(body.slice(300, 340)),
    ];

    for (const echo of echoes) {
      const redacted = redact(`variables: [${echo}]`);
      expect(redacted).toContain(REDACTED);
      for (let i = 0; i + 16 <= echo.length; i += 1)
        expect(redacted).not.toContain(echo.slice(i, i + 16));
    }
    const short = body.slice(500, 515);
    expect(redact(`variables: [${short}]`)).toBe(`variables: [${short}]`);
  });

  it('takes an API URL query and the fixed parts of placeholder values for secrets', () => {
    const redact = createSecretRedactor({
      type: 'AccessUrl',
      fromName: 'Acme',
      apiUrl: 'https://access.example/sms/',
      parameters: [
        { name: 'auth', value: 'user:HiddenPw123{fromName}' },
        { name: 'to', value: '{phone}' },
        { name: 'text', value: '{message}' },
      ],
    });
    const query = createSecretRedactor({
      ...gatewayApi(),
      apiUrl: 'https://gatewayapi.eu/rest/mtsms?token=q%2Bt0ken-81&x=1',
    });

    expect(redact('bad auth user:HiddenPw123Acme')).toBe(
      `bad auth ${REDACTED}Acme`,
    );
    expect(query('got token=q%2Bt0ken-81&x=1')).toBe(`got ${REDACTED}`);
    expect(query('got q+t0ken-81 and q%2Bt0ken-81')).toBe(
      `got ${REDACTED} and ${REDACTED}`,
    );
  });

  describe('redactAndCut', () => {
    it('redacts before it cuts, and drops a cut tail that could be the head of a secret', () => {
      const redact = createSecretRedactor(gatewayApi());

      expect(redact.redactAndCut(`${'x'.repeat(488)}${SECRET} end`, 500)).toBe(
        `${'x'.repeat(488)}${REDACTED} e`,
      );
      expect(
        redact.redactAndCut(`${'x'.repeat(490)}${SECRET.slice(0, 12)}`, 500),
      ).toBe('x'.repeat(490));
      expect(redact.redactAndCut(`${'x'.repeat(498)}${SECRET}`, 500)).toBe(
        `${'x'.repeat(498)}${REDACTED.slice(0, 2)}`,
      );
    });

    it('keeps a text within the limit whole, and never cuts a surrogate pair in two', () => {
      const redact = createSecretRedactor(gatewayApi());

      expect(redact.redactAndCut('é'.repeat(2000), 500)).toBe('é'.repeat(500));
      expect(redact.redactAndCut(`a${'🙂'.repeat(300)}`, 500)).toBe(
        `a${'🙂'.repeat(249)}`,
      );
      expect(redact.redactAndCut(`short ${SECRET}`, 500)).toBe(
        `short ${REDACTED}`,
      );
    });
  });

  describe('createSendRedactor', () => {
    it("replaces a send's sensitive values and its text in every form, with the settings' secrets", () => {
      const message = '754913 is your Acme code. Do not share it.';
      const redact = createSendRedactor(gatewayApi(), {
        message,
        sensitive: ['754913'],
      });
      const echo = [
        message,
        encodeURIComponent(message),
        JSON.stringify({ text: message }),
        Buffer.from(message).toString('base64'),
        'code 754913',
        `token ${SECRET}`,
      ].join('\n');

      const redacted = redact(echo);

      expect(redacted).not.toContain('754913');
      expect(redacted).not.toContain('is your Acme');
      expect(redacted).not.toContain(SECRET);
      expect(redacted).toContain(`code ${REDACTED}`);
    });

    it('leaves the text of a send without sensitive values', () => {
      const redact = createSendRedactor(gatewayApi(), {
        message: 'Hello there',
      });

      expect(redact('Hello there')).toBe('Hello there');
    });

    it('replaces the token of the delivery report URL, and leaves the rest of the URL', () => {
      const token = 'Fjs-H-mgkHb7YCtf8wfV5W';
      const url = `https://sms.example.com/delivery-reports/2b5d9f0e-4a1c-4e7b-9d3f-6c8a0b1e2f34/${token}`;
      const redact = createSendRedactor(gatewayApi(), {
        message: 'Hello there',
        deliveryReportUrl: url,
      });

      const redacted = redact(
        JSON.stringify({ message: 'Hello there', callback_url: url }),
      );

      expect(redacted).not.toContain(token);
      expect(redacted).toContain(
        `/delivery-reports/2b5d9f0e-4a1c-4e7b-9d3f-6c8a0b1e2f34/${REDACTED}`,
      );
      expect(redacted).toContain('Hello there');
    });
  });
});
