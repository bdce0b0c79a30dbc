/**
 * Every sentence that `SmsCodeModule` options validation produces, in one place. No sentence
 * carries the hash key or any other option's value beyond names, numbers and placeholders.
 */
export const SmsCodeOptionsMessages = {
  notAnObject: () => 'The SMS code module options must be an object.',
  unknownOption: (name: string) =>
    `The option ${name} is unknown; check its spelling against SmsCodeModuleOptions.`,
  wholeNumber: (field: string, min: number, max: number) =>
    `The option ${field} must be a whole number from ${min} to ${max}.`,
  hashKey: () =>
    'The option hashKey is required: base64 of at least 32 random bytes (for example the output of "openssl rand -base64 32").',
  companyName: () =>
    'The option companyName is required: a text, or a function of the environment that returns one.',
  companyNameTooLong: (max: number) =>
    `The option companyName must be at most maxCompanyNameLength (${max}) characters.`,
  alphabet: () =>
    'The option codeAlphabet must be 2 to 64 distinct ASCII letters and digits.',
  tooFewCodes: (combinations: number) =>
    `codeLength and codeAlphabet allow only ${combinations} different codes; at least 10000 are needed, or codes can be guessed.`,
  notAnObjectOption: (field: string) =>
    `The option ${field} must be an object.`,
  unknownPurpose: (field: string, purposes: readonly string[]) =>
    `The key ${field} is not a purpose; the purposes are ${purposes.join(', ')}.`,
  countries: () =>
    'The option allowedCountries must be a non-empty list of ISO 3166-1 alpha-2 country codes; leave it out to allow every country.',
  unknownCountry: (field: string) =>
    `The entry ${field} is not an ISO 3166-1 alpha-2 country code that phone numbers are known for.`,
  locale: (field: string) =>
    `The locale ${field} must be a language tag such as en, da or sv-SE.`,
  incompleteDefaultLocale: (locale: string, missing: readonly string[]) =>
    `The option defaultLocale is ${locale}, which has no template for ${missing.join(', ')}; add them under templates.${locale}, or choose en or da.`,
  templateNotText: (field: string) =>
    `The template ${field} must be a text that is not blank.`,
  templateWithoutCode: (field: string) =>
    `The template ${field} must contain {code}.`,
  templateUnknownPlaceholders: (
    field: string,
    unknown: readonly string[],
    known: readonly string[],
  ) =>
    `The template ${field} contains ${unknown.join(', ')}; only ${known.join(', ')} are replaced.`,
  templateTooLong: (
    field: string,
    measure: { segments: number; encoding: string },
    limits: {
      maxSegments: number;
      codeLength: number;
      maxCompanyNameLength: number;
      originDomain: string | undefined;
    },
  ) =>
    `The template ${field} needs ${measure.segments} SMS segments (${measure.encoding}) with a code of ${limits.codeLength} characters, a company name of ${limits.maxCompanyNameLength} characters${limits.originDomain !== undefined ? ' and the origin line' : ''}; at most ${limits.maxSegments} ${limits.maxSegments === 1 ? 'is' : 'are'} allowed. Shorten it, or raise maxSegments.`,
  originDomain: () =>
    'The option originDomain must be a host name such as login.example.com: lower-case letters, digits, hyphens and dots, without a scheme, port or path.',
  store: () =>
    'The option store must be an SmsCodeStore (save, find, addAttempt, consume, hit, purge and close).',
  clock: () => 'The option clock must be an SmsCodeClock (a now() method).',
} as const;
