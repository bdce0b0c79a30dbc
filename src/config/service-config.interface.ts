import type { ApiKeyScope } from '../auth/api-key.scopes.js';
import type { SmsCodesConfig } from '../codes/sms-codes.settings.js';
import type { MessagesConfig } from '../messages/messages.settings.js';

/**
 * The service's configuration after loading and validation. The ConfigModule's loaded object has
 * exactly these top-level keys, so `ConfigService.get('store.url')` and friends work.
 */
export interface ServiceConfig {
  /** `Settings:Sms`, the site's provider, as written (PascalCase); undefined when absent. */
  sms?: Record<string, unknown>;
  api: ApiConfig;
  store: StoreConfig;
  security: SecurityConfig;
  http: HttpConfig;
  sandbox: SandboxConfig;
  /** `Settings:Codes`: one-time codes over SMS; library defaults where absent. */
  codes: SmsCodesConfig;
  logging: LoggingConfig;
  metrics: MetricsConfig;
  /** `Settings:DeliveryReports` and `Settings:Messages`: message records and delivery reports. */
  messages: MessagesConfig;
}

/** The log formats of `Settings:Logging:Format`. */
export const LOG_FORMATS = ['text', 'json'] as const;
/** The levels of `Settings:Logging:Level`, from the fewest lines to the most. */
export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

/** `Settings:Logging`. */
export interface LoggingConfig {
  /** `text`: Nest's console lines; `json`: one JSON object per line. @default text */
  format: (typeof LOG_FORMATS)[number];
  /** The least severe level written. @default log */
  level: (typeof LOG_LEVELS)[number];
}

/** `Settings:Metrics`. */
export interface MetricsConfig {
  /** Serves `GET /metrics` and counts what it shows. @default true */
  enabled: boolean;
}

/** `Settings:Api`. */
export interface ApiConfig {
  /** Bearer keys accepted by the protected endpoints, with what each may do. */
  keys: ApiKeyConfig[];
  /** True when no key was configured and one was generated at start-up. */
  keyGenerated: boolean;
  /** @default 5 */
  testSendLimitPerPhone: number;
  /** @default 100 */
  testSendLimitPerKey: number;
  /** @default 600 */
  testSendWindowSeconds: number;
  /** Connection checks allowed per API key per window. @default 30 */
  verifyLimitPerKey: number;
  /** The listening server's `headersTimeout`, in seconds. @default 10 */
  headersTimeoutSeconds: number;
  /** The listening server's `requestTimeout`, in seconds. @default 30 */
  requestTimeoutSeconds: number;
  /** The listening server's `keepAliveTimeout`, in seconds. @default 5 */
  keepAliveTimeoutSeconds: number;
}

/** One entry of `Settings:Api:Keys`. */
export interface ApiKeyConfig {
  /** Names the key in log lines; `key-<n>` (its position from 1) for a key configured as text. */
  name: string;
  /** The bearer key itself; never logged. */
  key: string;
  /** What the key may do. @default every scope, for a key configured as text */
  scopes: ApiKeyScope[];
  /** The environments the key may be used for on routes with an `{environment}`. @default every one */
  environments?: string[];
}

/** `Settings:Store`. */
export interface StoreConfig {
  /** `sqlite:<path>`, `sqlite::memory:` or `postgres://...`. @default sqlite:./data/sms.db */
  url: string;
}

/** `Settings:Security`. */
export interface SecurityConfig {
  /** Base64 of 32 bytes; undefined when not configured. */
  encryptionKey?: string;
  /** Keys (base64 of 32 bytes) that encrypted stored secrets before a rotation; only used to decrypt. @default [] */
  previousEncryptionKeys: string[];
  /** @default false */
  allowPrivateNetworkUrls: boolean;
}

/** `Settings:Http`. */
export interface HttpConfig {
  /** @default 30 */
  timeoutSeconds: number;
  /** Retries of a send that certainly did not reach the provider. @default 2 */
  retries: number;
  /** A PEM file of extra trusted CA certificates; an absolute path once loaded. */
  extraCaCertificatesFile?: string;
  /** The HTTP client of provider exchanges. @default 'axios' */
  transport: 'axios' | 'undici';
}

/** `Settings:Sandbox`: the bundled local provider for trying the service without an account. */
export interface SandboxConfig {
  /** @default false */
  enabled: boolean;
  /** @default 127.0.0.1 */
  host: string;
  /** @default 3001 */
  port: number;
  /** Where the sandbox keeps its certificates. @default ./data/sandbox */
  dataDir: string;
}
