import type { ApiKeyScope } from '../auth/api-key.scopes.js';
import type { SmsCodesConfig } from '../codes/sms-codes.settings.js';

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
