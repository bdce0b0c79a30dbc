import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  InMemorySmsSettingsSource,
  SmsModule,
  SmsProviderError,
  SmsService,
  parseEnvironmentSmsSettings,
} from '@app/sms';
import type { RunningSandbox } from '../server/sandbox.server.js';
import { startTestSandbox } from '../testing/test-sandbox.js';

/** The number suffix that plays each provider type's outage, as sandbox/README.md lists them. */
const SANDBOX_OUTAGE: Record<string, string> = {
  AccessUrl: '0604',
  GatewayApi: '0601',
  Smstools: '0602',
  TeliaSmsGateway: '0603',
};

/** Site settings that point the library at each sandbox endpoint, as sandbox/README.md shows. */
function settingsFor(
  sandbox: RunningSandbox,
): Record<string, Record<string, unknown>> {
  const { credentials, endpoints } = sandbox;
  return {
    AccessUrl: {
      Type: 'AccessUrl',
      FromName: 'FoxIDs',
      ApiUrl: endpoints.accessUrl,
      Parameters: [
        { Name: 'username', Value: credentials.accessUrlUsername },
        { Name: 'password', Value: credentials.accessUrlPassword },
        { Name: 'recipient', Value: '{phone}' },
        { Name: 'from', Value: '{fromName}' },
        { Name: 'message', Value: '{message}' },
      ],
    },
    GatewayApi: {
      Type: 'GatewayApi',
      FromName: 'FoxIDs',
      ApiUrl: endpoints.gatewayApi,
      ClientSecret: credentials.gatewayApiToken,
    },
    Smstools: {
      Type: 'Smstools',
      FromName: 'FoxIDs',
      ApiUrl: endpoints.smstools,
      ClientId: credentials.smstoolsClientId,
      ClientSecret: credentials.smstoolsClientSecret,
    },
    TeliaSmsGateway: {
      Type: 'TeliaSmsGateway',
      FromName: 'FoxIDs',
      ApiUrl: endpoints.telia,
      ClientId: '12345',
      ClientSecret: credentials.teliaApiKey,
      CertificatePemCrt: sandbox.teliaClientCertificate.certificatePem,
      CertificatePemKey: sandbox.teliaClientCertificate.privateKeyPem,
    },
  };
}

/**
 * An environment's settings (camelCase, as the admin API takes them): the site's, with the
 * environment's name in front of the endpoint's path so that the inbox labels its messages.
 */
function environmentSettings(
  sandbox: RunningSandbox,
  site: Record<string, unknown>,
  environment: string,
): Record<string, unknown> {
  const camelCase = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(camelCase)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(
            Object.entries(value).map(([key, inner]) => [
              key[0].toLowerCase() + key.slice(1),
              camelCase(inner),
            ]),
          )
        : value;
  const apiUrl = String(site.ApiUrl).replace(
    sandbox.url,
    `${sandbox.url}/env/${environment}`,
  );
  return camelCase({ ...site, ApiUrl: apiUrl }) as Record<string, unknown>;
}

describe.each(['AccessUrl', 'GatewayApi', 'Smstools', 'TeliaSmsGateway'])(
  'the sms library sending through the sandbox with %s',
  (type) => {
    let sandbox: RunningSandbox;
    let dispose: () => Promise<void>;
    let moduleRef: TestingModule;
    let sms: SmsService;

    beforeAll(async () => {
      ({ sandbox, dispose } = await startTestSandbox());
      const site = settingsFor(sandbox)[type];
      const settingsSource = new InMemorySmsSettingsSource();
      for (const environment of ['tenant-a', 'tenant-b']) {
        settingsSource.set(
          environment,
          parseEnvironmentSmsSettings(
            environmentSettings(sandbox, site, environment),
          ),
        );
      }
      moduleRef = await Test.createTestingModule({
        imports: [
          SmsModule.forRoot({
            settings: site,
            settingsSource,
            extraCaCertificates: readFileSync(
              sandbox.caCertificateFile,
              'utf8',
            ),
          }),
        ],
      })
        // The provider failures below are expected; their error logs would only be noise here.
        .setLogger({
          log: () => undefined,
          error: () => undefined,
          warn: () => undefined,
        })
        .compile();
      await moduleRef.init();
      sms = moduleRef.get(SmsService);
    });
    afterAll(async () => {
      await moduleRef?.close();
      await dispose?.();
    });

    it.each([
      ['GSM-7', 'Your code is 482913 - æøå'],
      ['UCS-2', 'Din kode er 482913 ✅'],
    ])('delivers a %s message to the inbox', async (encoding, message) => {
      const result = await sms.send({ phone: '+45 12 34 56 78', message });

      const [recorded] = sandbox.messages();
      expect(recorded).toMatchObject({
        provider: type,
        to: '+4512345678',
        text: message,
        encoding,
      });
      expect(result).toMatchObject({ provider: type, encoding });
      // Access URL answers are not parsed for an id.
      expect(result.messageId).toBe(type === 'AccessUrl' ? null : recorded.id);
    });

    it('labels the messages of each environment with the name in front of its endpoint path', async () => {
      for (const environment of ['tenant-a', 'tenant-b', 'tenant-a', null]) {
        await sms.send({
          phone: '+4512345678',
          message: 'Code 482913',
          environment,
        });
      }

      const path = new URL(String(settingsFor(sandbox)[type].ApiUrl)).pathname;
      expect(
        sandbox
          .messages()
          .slice(0, 4)
          .map(({ environment, request }) => [
            environment,
            request.path.split('?')[0],
          ]),
      ).toEqual([
        [null, path],
        ['tenant-a', `/env/tenant-a${path}`],
        ['tenant-b', `/env/tenant-b${path}`],
        ['tenant-a', `/env/tenant-a${path}`],
      ]);
    });

    it('plays an outage of its own type only: a send with a fallback fails over to it', async () => {
      const types = Object.keys(SANDBOX_OUTAGE);
      const fallbackType = types[(types.indexOf(type) + 1) % types.length];
      const settingsSource = moduleRef.get(InMemorySmsSettingsSource);
      settingsSource.set(
        'with-fallback',
        parseEnvironmentSmsSettings({
          ...environmentSettings(sandbox, settingsFor(sandbox)[type], 'with-fallback'),
          fallback: environmentSettings(
            sandbox,
            settingsFor(sandbox)[fallbackType],
            'with-fallback',
          ),
        }),
      );

      const result = await sms.send({
        phone: `+451234${SANDBOX_OUTAGE[type]}`,
        message: 'Code 482913',
        environment: 'with-fallback',
      });

      expect(result).toMatchObject({ provider: fallbackType, failoverFrom: type });
      expect(sandbox.messages()[0]).toMatchObject({
        provider: fallbackType,
        to: `+451234${SANDBOX_OUTAGE[type]}`,
      });
    });

    it.each([
      ['+4512340500', true],
      ['+4512340503', false],
      ['+4512340429', false],
    ])(
      'reports the magic number %s as a provider failure with maybeSent %s',
      async (phone, maybeSent) => {
        const before = sandbox.messages().length;

        const failure = await sms
          .send({ phone, message: 'Code 482913' })
          .catch((error: unknown) => error);

        expect(failure).toBeInstanceOf(SmsProviderError);
        expect(failure).toMatchObject({ maybeSent });
        expect(sandbox.messages()).toHaveLength(before);
      },
    );
  },
);
