import { applyDecorators } from '@nestjs/common';
import { SmsCodesSettings } from '../codes/sms-codes.settings.js';
import {
  DeliveryReportsSettings,
  MessagesSettings,
} from '../messages/messages.settings.js';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  LOG_FORMATS,
  LOG_LEVELS,
  type LoggingConfig,
} from './service-config.interface.js';
import { toBoolean, toNumber } from './settings-value.transforms.js';

/** The shortest API key accepted: shorter keys can be guessed. */
export const MIN_API_KEY_LENGTH = 16;
/** The longest timeout of one provider exchange, in seconds. */
export const MAX_TIMEOUT_SECONDS = 600;
/** The largest test-send limit or window that can be configured. */
const MAX_LIMIT = 1_000_000;

const IsWholeNumber = (field: string, min: number, max: number) =>
  applyDecorators(
    IsInt({
      message: `The field ${field} must be a whole number from ${min} to ${max}.`,
    }),
    Min(min, { message: `The field ${field} must be at least ${min}.` }),
    Max(max, { message: `The field ${field} must be at most ${max}.` }),
  );
const IsSection = (name: string) =>
  IsObject({
    message: `The section ${name} must be an object of keys and values.`,
  });
const IsText = (field: string) =>
  applyDecorators(
    IsString({ message: `The field ${field} must be text.` }),
    IsNotEmpty({ message: `The field ${field} must not be empty.` }),
  );

/** `Settings:Api`. */
export class ApiSettings {
  /**
   * Bearer keys accepted by the protected endpoints: each a key (text, every scope) or
   * `{ Name, Key, Scopes, Environments }`; the entries are checked by `readApiKeys`.
   * @default one generated at start-up
   */
  @IsOptional()
  @IsArray({
    message:
      'The field Keys must be a list of keys (as an environment variable: Settings__Api__Keys__0=<key>).',
  })
  @ArrayMinSize(1, {
    message:
      'The field Keys must hold at least one key; leave it out to have one generated.',
  })
  Keys?: unknown[];

  /** Test sends allowed to one destination number per window. @default 5 */
  @IsOptional()
  @Transform(toNumber)
  @IsWholeNumber('TestSendLimitPerPhone', 1, MAX_LIMIT)
  TestSendLimitPerPhone?: number;

  /** Test sends allowed per API key per window. @default 100 */
  @IsOptional()
  @Transform(toNumber)
  @IsWholeNumber('TestSendLimitPerKey', 1, MAX_LIMIT)
  TestSendLimitPerKey?: number;

  /** The window of both test-send limits, in seconds. @default 600 */
  @IsOptional()
  @Transform(toNumber)
  @IsWholeNumber('TestSendWindowSeconds', 1, MAX_LIMIT)
  TestSendWindowSeconds?: number;

  /** Connection checks (`…/sms/verify`) allowed per API key per window. @default 30 */
  @IsOptional()
  @Transform(toNumber)
  @IsWholeNumber('VerifyLimitPerKey', 1, MAX_LIMIT)
  VerifyLimitPerKey?: number;

  /** How long a client may take to send a request's headers, in seconds. @default 10 */
  @IsOptional()
  @Transform(toNumber)
  @IsWholeNumber('HeadersTimeoutSeconds', 1, MAX_TIMEOUT_SECONDS)
  HeadersTimeoutSeconds?: number;

  /** How long a client may take to send a whole request, headers and body, in seconds. @default 30 */
  @IsOptional()
  @Transform(toNumber)
  @IsWholeNumber('RequestTimeoutSeconds', 1, MAX_TIMEOUT_SECONDS)
  RequestTimeoutSeconds?: number;

  /** How long an idle kept-alive connection stays open, in seconds. @default 5 */
  @IsOptional()
  @Transform(toNumber)
  @IsWholeNumber('KeepAliveTimeoutSeconds', 1, MAX_TIMEOUT_SECONDS)
  KeepAliveTimeoutSeconds?: number;
}

/** `Settings:Store`. */
export class StoreSettings {
  /** `sqlite:<path>`, `sqlite::memory:` or a `postgres://` URL. @default sqlite:./data/sms.db */
  @IsOptional()
  @IsText('Url')
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/i, {
    message:
      'The field Url must be sqlite:<path>, sqlite::memory: or a postgres:// URL.',
  })
  Url?: string;
}

/** `Settings:Security`. */
export class SecuritySettings {
  /** Base64 of 32 random bytes; encrypts environment secrets at rest. */
  @IsOptional()
  @IsText('EncryptionKey')
  EncryptionKey?: string;

  /** Keys that encrypted stored secrets before a rotation; only used to decrypt. @default none */
  @IsOptional()
  @IsArray({
    message: 'The field PreviousEncryptionKeys must be a list of keys.',
  })
  @IsString({
    each: true,
    message: 'Every entry of PreviousEncryptionKeys must be text.',
  })
  PreviousEncryptionKeys?: string[];

  /** Whether environment settings may point at loopback and private addresses. @default false */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({
    message: 'The field AllowPrivateNetworkUrls must be true or false.',
  })
  AllowPrivateNetworkUrls?: boolean;
}

/** `Settings:Http`. */
export class HttpSettings {
  /** Timeout of one provider exchange, in seconds. @default 30 */
  @IsOptional()
  @Transform(toNumber)
  @IsNumber(
    { allowNaN: false, allowInfinity: false },
    { message: 'The field TimeoutSeconds must be a number of seconds.' },
  )
  @Min(0.1, {
    message: 'The field TimeoutSeconds must be at least 0.1 seconds.',
  })
  @Max(MAX_TIMEOUT_SECONDS, {
    message: `The field TimeoutSeconds must be at most ${MAX_TIMEOUT_SECONDS} seconds.`,
  })
  TimeoutSeconds?: number;

  /** Retries of a send that certainly did not reach the provider, within the timeout. @default 2 */
  @IsOptional()
  @Transform(toNumber)
  @IsWholeNumber('Retries', 0, 10)
  Retries?: number;

  /** A PEM file of CA certificates trusted in addition to Node's default trust. @default none */
  @IsOptional()
  @IsText('ExtraCaCertificatesFile')
  ExtraCaCertificatesFile?: string;

  /**
   * The HTTP client of provider exchanges: `axios` (through `@nestjs/axios`, on Node
   * `https.Agent`s) or `undici` (less CPU per send). @default axios
   */
  @IsOptional()
  @IsIn(['axios', 'undici'], {
    message: "The field Transport must be 'axios' or 'undici'.",
  })
  Transport?: 'axios' | 'undici';
}

/** `Settings:Sandbox`. */
export class SandboxSettings {
  /** Starts the bundled local provider before the service. @default false */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'The field Enabled must be true or false.' })
  Enabled?: boolean;

  /** The address the sandbox listens on. @default 127.0.0.1 */
  @IsOptional()
  @IsText('Host')
  Host?: string;

  /** The sandbox's HTTPS port; 0 picks a free one. @default 3001 */
  @IsOptional()
  @Transform(toNumber)
  @IsWholeNumber('Port', 0, 65535)
  Port?: number;

  /** Where the sandbox keeps its certificates and messages. @default ./data/sandbox */
  @IsOptional()
  @IsText('DataDir')
  DataDir?: string;
}

/** `Settings:Logging`. */
export class LoggingSettings {
  /** `text` (Nest's console lines) or `json` (one object per line). @default text */
  @IsOptional()
  @IsIn(LOG_FORMATS, {
    message: `The field Format must be one of ${LOG_FORMATS.join(', ')}.`,
  })
  Format?: LoggingConfig['format'];

  /** The least severe level written. @default log */
  @IsOptional()
  @IsIn(LOG_LEVELS, {
    message: `The field Level must be one of ${LOG_LEVELS.join(', ')}.`,
  })
  Level?: LoggingConfig['level'];
}

/** `Settings:Metrics`. */
export class MetricsSettings {
  /** Serves `GET /metrics`. @default true */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'The field Enabled must be true or false.' })
  Enabled?: boolean;
}

/** The `Settings` section of the configuration. */
export class ServiceSettings {
  /** The site's SMS provider, validated by the SMS library. @default none */
  @IsOptional()
  @IsSection('Sms')
  Sms?: Record<string, unknown>;

  /** Settings:Api: API keys and test-send limits. */
  @IsOptional()
  @IsSection('Api')
  @ValidateNested()
  @Type(() => ApiSettings)
  Api?: ApiSettings;

  /** Settings:Store: where environment settings live. */
  @IsOptional()
  @IsSection('Store')
  @ValidateNested()
  @Type(() => StoreSettings)
  Store?: StoreSettings;

  /** Settings:Security: encryption at rest and URL checks. */
  @IsOptional()
  @IsSection('Security')
  @ValidateNested()
  @Type(() => SecuritySettings)
  Security?: SecuritySettings;

  /** Settings:Http: the provider exchanges. */
  @IsOptional()
  @IsSection('Http')
  @ValidateNested()
  @Type(() => HttpSettings)
  Http?: HttpSettings;

  /** Settings:Sandbox: the bundled local provider. */
  @IsOptional()
  @IsSection('Sandbox')
  @ValidateNested()
  @Type(() => SandboxSettings)
  Sandbox?: SandboxSettings;

  /** Settings:Codes: one-time codes over SMS. */
  @IsOptional()
  @IsSection('Codes')
  @ValidateNested()
  @Type(() => SmsCodesSettings)
  Codes?: SmsCodesSettings;

  /** Settings:Logging: the log format and level. */
  @IsOptional()
  @IsSection('Logging')
  @ValidateNested()
  @Type(() => LoggingSettings)
  Logging?: LoggingSettings;

  /** Settings:Metrics: the Prometheus endpoint. */
  @IsOptional()
  @IsSection('Metrics')
  @ValidateNested()
  @Type(() => MetricsSettings)
  Metrics?: MetricsSettings;
  /** Settings:DeliveryReports: where providers post delivery reports. */
  @IsOptional()
  @IsSection('DeliveryReports')
  @ValidateNested()
  @Type(() => DeliveryReportsSettings)
  DeliveryReports?: DeliveryReportsSettings;

  /** Settings:Messages: how long message records are kept. */
  @IsOptional()
  @IsSection('Messages')
  @ValidateNested()
  @Type(() => MessagesSettings)
  Messages?: MessagesSettings;
}
