import { toSmsCodesConfig } from '../codes/sms-codes.settings.js';
import { toMessagesConfig } from '../messages/messages.settings.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseSiteSmsSettings, SmsSettingsError } from '@app/sms';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { readApiKeys } from './api-keys.reader.js';
import type { ServiceConfigProblem } from './service-config.error.js';
import type {
  ApiKeyConfig,
  HttpConfig,
  SandboxConfig,
  SecurityConfig,
  ServiceConfig,
} from './service-config.interface.js';
import {
  ServiceSettings,
  type ApiSettings,
  type HttpSettings,
  type SandboxSettings,
  type SecuritySettings,
} from './service-settings.schema.js';
import { UNKNOWN_SETTINGS_KEY_MESSAGE } from './settings-key.names.js';

/** The defaults of the documented configuration keys. */
export const SERVICE_CONFIG_DEFAULTS = {
  testSendLimitPerPhone: 5,
  testSendLimitPerKey: 100,
  testSendWindowSeconds: 600,
  verifyLimitPerKey: 30,
  headersTimeoutSeconds: 10,
  requestTimeoutSeconds: 30,
  keepAliveTimeoutSeconds: 5,
  storeUrl: 'sqlite:./data/sms.db',
  timeoutSeconds: 30,
  retries: 2,
  transport: 'axios',
  sandboxHost: '127.0.0.1',
  sandboxPort: 3001,
  sandboxDataDir: './data/sandbox',
  logFormat: 'text',
  logLevel: 'log',
  metricsEnabled: true,
} as const;

const ENCRYPTION_KEY_BYTES = 32;
const PEM_CERTIFICATE =
  /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** A validated configuration, before an API key is generated for it. */
export type ValidatedServiceConfig = Omit<ServiceConfig, 'api'> & {
  api: Omit<ServiceConfig['api'], 'keyGenerated'>;
};

/**
 * Checks the `Settings` section against the documented keys, applies the defaults, and checks
 * `Settings:Sms` with the SMS library, so that one list names every bad key. Relative file names are
 * read from `cwd`. Never puts a configured value in a message.
 *
 * @returns the configuration with its defaults, and every problem found (the configuration is only
 *   usable when there is none)
 */
export function validateServiceSettings(
  settings: unknown,
  cwd: string = process.cwd(),
): { config: ValidatedServiceConfig; problems: ServiceConfigProblem[] } {
  const section = settings ?? {};
  if (typeof section !== 'object' || Array.isArray(section)) {
    return {
      config: toServiceConfig(new ServiceSettings(), cwd, []),
      problems: [
        {
          key: 'Settings',
          message: 'The section Settings must be an object of keys and values.',
        },
      ],
    };
  }
  const instance = plainToInstance(ServiceSettings, section);
  const problems = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
  }).flatMap((error) => problemsOf(error, 'Settings'));
  const apiKeys = readApiKeys(
    Array.isArray(instance.Api?.Keys) ? instance.Api.Keys : undefined,
  );
  const config = toServiceConfig(instance, cwd, apiKeys.keys);
  problems.push(
    ...apiKeys.problems,
    ...smsProblems(instance.Sms),
    ...crossKeyProblems(config),
    ...serverTimeoutProblems(config.api),
  );
  return { config, problems };
}

function toServiceConfig(
  settings: ServiceSettings,
  cwd: string,
  apiKeys: ApiKeyConfig[],
): ValidatedServiceConfig {
  const d = SERVICE_CONFIG_DEFAULTS;
  return {
    sms: settings.Sms,
    api: toApiConfig(settings.Api, apiKeys),
    store: { url: settings.Store?.Url ?? d.storeUrl },
    security: toSecurityConfig(settings.Security),
    http: toHttpConfig(settings.Http, cwd),
    sandbox: toSandboxConfig(settings.Sandbox),
    codes: toSmsCodesConfig(settings.Codes),
    logging: {
      format: settings.Logging?.Format ?? d.logFormat,
      level: settings.Logging?.Level ?? d.logLevel,
    },
    metrics: { enabled: settings.Metrics?.Enabled ?? d.metricsEnabled },
    messages: toMessagesConfig(settings.DeliveryReports, settings.Messages),
  };
}

function toApiConfig(
  api: ApiSettings | undefined,
  keys: ApiKeyConfig[],
): ValidatedServiceConfig['api'] {
  const d = SERVICE_CONFIG_DEFAULTS;
  return {
    keys,
    testSendLimitPerPhone:
      api?.TestSendLimitPerPhone ?? d.testSendLimitPerPhone,
    testSendLimitPerKey: api?.TestSendLimitPerKey ?? d.testSendLimitPerKey,
    testSendWindowSeconds:
      api?.TestSendWindowSeconds ?? d.testSendWindowSeconds,
    verifyLimitPerKey: api?.VerifyLimitPerKey ?? d.verifyLimitPerKey,
    headersTimeoutSeconds:
      api?.HeadersTimeoutSeconds ?? d.headersTimeoutSeconds,
    requestTimeoutSeconds:
      api?.RequestTimeoutSeconds ?? d.requestTimeoutSeconds,
    keepAliveTimeoutSeconds:
      api?.KeepAliveTimeoutSeconds ?? d.keepAliveTimeoutSeconds,
  };
}

function toSecurityConfig(
  security: SecuritySettings | undefined,
): SecurityConfig {
  return {
    encryptionKey: security?.EncryptionKey,
    previousEncryptionKeys: security?.PreviousEncryptionKeys ?? [],
    allowPrivateNetworkUrls: security?.AllowPrivateNetworkUrls ?? false,
  };
}

function toHttpConfig(http: HttpSettings | undefined, cwd: string): HttpConfig {
  const d = SERVICE_CONFIG_DEFAULTS;
  const caFile = http?.ExtraCaCertificatesFile;
  return {
    timeoutSeconds: http?.TimeoutSeconds ?? d.timeoutSeconds,
    retries: http?.Retries ?? d.retries,
    transport: http?.Transport ?? d.transport,
    // Made absolute here, so that whoever reads it later does not depend on the working directory.
    extraCaCertificatesFile:
      typeof caFile === 'string' && caFile !== ''
        ? resolve(cwd, caFile)
        : caFile,
  };
}

function toSandboxConfig(sandbox: SandboxSettings | undefined): SandboxConfig {
  const d = SERVICE_CONFIG_DEFAULTS;
  return {
    enabled: sandbox?.Enabled ?? false,
    host: sandbox?.Host ?? d.sandboxHost,
    port: sandbox?.Port ?? d.sandboxPort,
    dataDir: sandbox?.DataDir ?? d.sandboxDataDir,
  };
}

// When a value has the wrong type, its range does not matter: only the type is reported.
const TYPE_CONSTRAINTS = new Set([
  'isInt',
  'isNumber',
  'isBoolean',
  'isString',
  'isArray',
  'isObject',
]);

/** Turns class-validator's tree into one problem per key, its reasons joined. */
function problemsOf(
  error: ValidationError,
  parent: string,
): ServiceConfigProblem[] {
  const key = `${parent}:${error.property}`;
  const failed = Object.entries(error.constraints ?? {});
  const typeFailures = failed.filter(([constraint]) =>
    TYPE_CONSTRAINTS.has(constraint),
  );
  const messages = (typeFailures.length > 0 ? typeFailures : failed).map(
    ([constraint, message]) =>
      constraint === 'whitelistValidation'
        ? UNKNOWN_SETTINGS_KEY_MESSAGE
        : message,
  );
  const own: ServiceConfigProblem[] =
    messages.length > 0
      ? [{ key, message: [...new Set(messages)].join(' ') }]
      : [];
  return [
    ...own,
    ...(error.children ?? []).flatMap((child) => problemsOf(child, key)),
  ];
}

function smsProblems(sms: unknown): ServiceConfigProblem[] {
  if (
    sms === undefined ||
    typeof sms !== 'object' ||
    sms === null ||
    Array.isArray(sms)
  )
    return [];
  try {
    parseSiteSmsSettings(sms as Record<string, unknown>);
    return [];
  } catch (error) {
    if (!(error instanceof SmsSettingsError)) throw error;
    return error.problems.map((p) => ({ key: p.path, message: p.message }));
  }
}

/** Checks that involve more than one key, or the file system. */
function crossKeyProblems(
  config: ValidatedServiceConfig,
): ServiceConfigProblem[] {
  const problems: ServiceConfigProblem[] = [];
  const { encryptionKey, previousEncryptionKeys } = config.security;
  const isPostgres = /^postgres(ql)?:\/\//i.test(config.store.url);
  if (encryptionKey === undefined && isPostgres) {
    problems.push({
      key: 'Settings:Security:EncryptionKey',
      message:
        'The field EncryptionKey is required when the store is PostgreSQL: every instance must share it (for example the output of "openssl rand -base64 32").',
    });
  }
  if (
    typeof encryptionKey === 'string' &&
    encryptionKey !== '' &&
    !isBase64Key(encryptionKey)
  ) {
    problems.push({
      key: 'Settings:Security:EncryptionKey',
      message: `The field EncryptionKey must be base64 of ${ENCRYPTION_KEY_BYTES} random bytes (for example the output of "openssl rand -base64 32").`,
    });
  }
  // Not a list at all is already reported by the schema.
  (Array.isArray(previousEncryptionKeys) ? previousEncryptionKeys : []).forEach(
    (key, index) => {
      if (typeof key === 'string' && !isBase64Key(key)) {
        problems.push({
          key: `Settings:Security:PreviousEncryptionKeys:${index}`,
          message: `Every entry of PreviousEncryptionKeys must be base64 of ${ENCRYPTION_KEY_BYTES} bytes.`,
        });
      }
    },
  );
  const caFile = config.http.extraCaCertificatesFile;
  if (typeof caFile === 'string' && caFile !== '') {
    const problem = caFileProblem(caFile);
    if (problem)
      problems.push({
        key: 'Settings:Http:ExtraCaCertificatesFile',
        message: problem,
      });
  }
  return problems;
}

/** The headers are part of the request: their timeout cannot be the longer one. */
function serverTimeoutProblems(
  api: ValidatedServiceConfig['api'],
): ServiceConfigProblem[] {
  return api.headersTimeoutSeconds > api.requestTimeoutSeconds
    ? [
        {
          key: 'Settings:Api:HeadersTimeoutSeconds',
          message:
            'The field HeadersTimeoutSeconds must not be more than RequestTimeoutSeconds: the headers are part of the request.',
        },
      ]
    : [];
}

function isBase64Key(value: string): boolean {
  const text = value.trim();
  const key = Buffer.from(text, 'base64');
  // Buffer.from skips characters that are not base64: only a round trip proves the text was a key.
  const canonical = (s: string) =>
    s.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  return (
    key.length === ENCRYPTION_KEY_BYTES &&
    canonical(key.toString('base64')) === canonical(text)
  );
}

function caFileProblem(file: string): string | undefined {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    return `The file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`;
  }
  return PEM_CERTIFICATE.test(content)
    ? undefined
    : `The file ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`;
}
