import type { SmsCodeClock } from '../sms-code.clock.js';
import type { SmsCodePurpose } from '../sms-code-purpose.js';
import type { SmsCodeStore } from '../store/sms-code.store.js';
import type { SmsCodeTemplateOverrides } from '../templates/sms-code-templates.js';

/** The company name in code messages: fixed, or looked up per environment (null: the site). */
export type SmsCodeCompanyName =
  string | ((environment: string | null) => string | Promise<string>);

/** The options of {@link SmsCodeModule}. Validated once at bootstrap; one error lists every problem. */
export interface SmsCodeModuleOptions {
  /**
   * The key of the HMAC-SHA256 that codes are stored as: base64 of at least 32 random bytes. Keep it
   * secret and the same on every instance; changing it voids the codes that are live.
   */
  hashKey: string;
  /** The `{companyName}` of the templates: a text, or a function of the environment. */
  companyName: SmsCodeCompanyName;
  /**
   * The longest company name the templates are checked with at bootstrap. A longer name at send
   * time is still sent when the message fits `maxSegments`, and refused otherwise.
   * @default 30
   */
  maxCompanyNameLength?: number;
  /**
   * Characters in a code.
   * @default 6
   */
  codeLength?: number;
  /**
   * The characters a code is drawn from: 2 to 64 distinct ASCII letters and digits. Use
   * `SMS_CODE_UNAMBIGUOUS_ALPHABET` for upper-case codes without look-alikes (0/O, 1/I). When it has
   * no lower-case letter, codes are verified without regard to case.
   * @default '0123456789'
   */
  codeAlphabet?: string;
  /**
   * How long a code verifies, in seconds, per purpose.
   * @default 600 for passwordless-login, phone-confirmation and set-password; 300 for two-factor
   */
  lifetimeSeconds?: Partial<Record<SmsCodePurpose, number>>;
  /**
   * Verification attempts a code allows; after that it is void, even for the right code.
   * @default 5
   */
  maxAttempts?: number;
  /**
   * Seconds after a send before another code can go to the same number for the same purpose.
   * @default 60
   */
  resendCooldownSeconds?: number;
  /**
   * Codes one phone number may receive in an hour, all environments and purposes together.
   * @default 5
   */
  maxSendsPerPhonePerHour?: number;
  /**
   * Codes one environment (or the site) may send in an hour, all numbers together.
   * @default 1000
   */
  maxSendsPerEnvironmentPerHour?: number;
  /**
   * ISO 3166-1 alpha-2 codes of the countries codes may be sent to (e.g. `['DK', 'SE']`).
   * @default every country
   */
  allowedCountries?: string[];
  /**
   * Texts by locale and purpose, with `{code}` (required), `{companyName}` and `{minutes}`. They
   * replace the defaults (`en`, `da`) one by one; a purpose a locale lacks uses `defaultLocale`'s.
   * @default DEFAULT_SMS_CODE_TEMPLATES
   */
  templates?: SmsCodeTemplateOverrides;
  /**
   * The locale used when a send names none, or one without templates.
   * @default 'en'
   */
  defaultLocale?: string;
  /**
   * The most SMS segments a code message may take. Every template is checked at bootstrap with the
   * longest code, a company name of `maxCompanyNameLength` and the origin line.
   * @default 1
   */
  maxSegments?: number;
  /**
   * A domain (`login.example.com`) that switches on origin-bound codes: the last line of every
   * message becomes `@login.example.com #123456`, and browsers and phones fill the code in only there.
   * @default none
   */
  originDomain?: string;
  /**
   * Where codes and counters live. The module closes it at shutdown.
   * @default an `InMemorySmsCodeStore`
   */
  store?: SmsCodeStore;
  /**
   * The clock of expiry, cooldowns and caps.
   * @default the system clock
   */
  clock?: SmsCodeClock;
  /**
   * How often codes expired for an hour and finished counters are deleted, in milliseconds.
   * @default 600000
   */
  purgeIntervalMs?: number;
}
