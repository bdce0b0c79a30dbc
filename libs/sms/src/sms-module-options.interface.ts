import type { SmsProvider } from './providers/sms-provider.interface.js';
import type { SmsSettingsSource } from './settings/sms-settings.source.js';
import type { SiteSmsSettings } from './settings/sms-settings.interface.js';
import type { SmsEnvironmentResolverOption } from './environment/sms-environment-resolver.factory.js';
import type { SmsMessagesOptions } from './messages/sms-messages-options.interface.js';
import type { SmsHttpTransportKind } from './transport/sms-http.transport.js';

/** The options of {@link SmsModule}. Validated once at bootstrap. */
export interface SmsModuleOptions {
  /**
   * The site's SMS provider, in the app settings shape (`Settings:Sms`, PascalCase keys).
   * Absent: the site has no provider, and only environments with their own settings can send.
   */
  settings?: SiteSmsSettings | Record<string, unknown>;
  /**
   * The source of environments' own settings. An environment's settings replace the site's as a whole.
   * @default an in-memory source, empty (inject `SmsSettingsSource` to fill it)
   */
  settingsSource?: SmsSettingsSource;
  /**
   * Timeout of one provider exchange (connect, request and the whole response), in milliseconds.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * The most response body read from a provider, in bytes; a larger answer is a failure.
   * @default 524288 (512 KiB)
   */
  maxResponseBytes?: number;
  /**
   * The most SMS segments one message may take; a longer text is refused before any network call.
   * @default 10
   */
  maxSegments?: number;
  /**
   * PEM CA certificates trusted in addition to Node's default trust (and `NODE_EXTRA_CA_CERTS`).
   * There is no option that turns certificate checks off.
   */
  extraCaCertificates?: string;
  /**
   * How many client-certificate HTTPS agents (Telia) are kept; the least recently used is closed.
   * @default 100
   */
  clientAgentCacheSize?: number;
  /**
   * How many more times a send is tried when its failure certainly left nothing at the provider and
   * may pass later: connection refused, DNS or TLS handshake failure, a 429, a 503 with
   * `Retry-After`, Telia's `POL3003` rate limit. Attempts wait a jittered backoff (at least the
   * provider's `Retry-After`) and all fit in `timeoutMs`; when the next would not, the send gives
   * up. A failure that may have sent the message (a timeout, a cut connection, another 5xx) is
   * never tried again, except with Telia SMS Gateway, which recognises the repeated
   * `clientCorrelator`. 0 turns retries off.
   * @default 2
   */
  retries?: number;
  /**
   * For settings with a fallback provider: how many failover-eligible failures of the primary in a
   * row open its circuit, after which sends go straight to the fallback for
   * `circuitBreakerCooldownMs`. The count is per settings object and per instance.
   * @default 5
   */
  circuitBreakerThreshold?: number;
  /**
   * How long an open circuit sends straight to the fallback, in milliseconds; then one send tries
   * the primary again, and a success closes the circuit.
   * @default 30000
   */
  circuitBreakerCooldownMs?: number;
  /**
   * Decides which IP addresses the sends of environments' own settings may connect to (true
   * allows), e.g. public addresses only. Host names are resolved once per connection and the
   * connection goes to the checked addresses, so DNS rebinding cannot get around the check; IP
   * literals are checked too. A refused send fails with `maybeSent: false` before any request.
   * Site settings are trusted and never checked.
   * @default none: every address may be reached
   */
  environmentAddressPolicy?: (address: string) => boolean;
  /**
   * The HTTP client that carries requests to providers. `axios`: through `@nestjs/axios`'s
   * `HttpService`, on Node `https.Agent`s (a custom one per Telia client certificate).
   * `undici`: on undici's agents, about a quarter of axios's CPU per send, for hosts that need
   * throughput.
   * Both keep the same promises (address policy, timeout, size limit, no redirects, no proxy).
   * @default 'axios'
   */
  transport?: SmsHttpTransportKind;
  /** Provider strategies for types of your own, or to replace a built-in one. */
  customProviders?: SmsProvider[];
  /**
   * How `SmsEnvironmentInterceptor` and `SmsEnvironmentMiddleware` work out a request's
   * environment: `{ routeParam: 'tenant' }` (a route parameter), `{ header: 'X-Environment' }`,
   * `{ hostLabel: true }` (`acme.sms.example.com` is `acme`), or a resolver of your own — a class
   * that extends `SmsEnvironmentResolver` (built by Nest with its dependencies) or an instance of
   * one. Inject the result as `SmsEnvironmentResolver`.
   * @default { routeParam: 'environment' }
   */
  environmentResolver?: SmsEnvironmentResolverOption;
  /**
   * Message records and delivery reports: where the record of every send goes, the key of its
   * phone-number HMAC and report tokens, and the public URL reports are asked for at.
   * @default records in memory, a per-process key, no delivery reports
   */
  messages?: SmsMessagesOptions;
}

/** A class that builds the module's options, for `SmsModule.forRootAsync({ useClass | useExisting })`. */
export interface SmsOptionsFactory {
  createSmsOptions(): SmsModuleOptions | Promise<SmsModuleOptions>;
}
