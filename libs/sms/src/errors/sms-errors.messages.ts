import type { SmsCodePurpose } from '../codes/sms-code-purpose.js';

/** One failing field, as error messages list it. */
interface ProblemLine {
  path: string;
  message: string;
}

const problemList = (problems: readonly ProblemLine[]) =>
  problems.map((p) => `- ${p.path}: ${p.message}`).join('\n');

const tryAgainIn = (seconds: number) =>
  `try again in ${seconds} second${seconds === 1 ? '' : 's'}`;

/** What happened to a code send at the provider, in words of the library's own. */
const codeProviderFailure = (failure: {
  provider: string;
  status?: number;
  timedOut: boolean;
}) =>
  failure.timedOut
    ? `${failure.provider} did not answer within the timeout`
    : failure.status === undefined
      ? `${failure.provider} could not be reached or the exchange failed`
      : `${failure.provider} refused the message with HTTP ${failure.status}`;

const isOrAre = (count: number) => (count === 1 ? 'is' : 'are');

/** The texts of the library's public errors, in one place. */
export const SMS_ERROR_MESSAGES = {
  settingsInvalid: (problems: readonly ProblemLine[]) =>
    `Invalid SMS settings:\n${problemList(problems)}`,
  notConfigured: (environment: string | null) =>
    environment
      ? `SMS is not configured: environment "${environment}" has no SMS settings and the site has none either. Set them with the admin API or in Settings:Sms.`
      : 'SMS is not configured: the site has no SMS settings. Set Settings:Sms.',
  messageRequired: () => 'The message text is required.',
  noFallback: (environment: string | null, source: string) =>
    `The ${source === 'environment' ? `settings of environment "${environment}"` : 'site settings'} have no fallback provider to send through; set one (Settings:Sms:Fallback, or fallback in the environment's settings) or leave out use.`,
  tooManySegments: (segments: number, encoding: string, maxSegments: number) =>
    `The message needs ${segments} SMS segments (${encoding}); at most ${maxSegments} are allowed.`,
  providerTimedOut: (provider: string, maybeSent: boolean) =>
    `${provider} did not answer within the timeout; the message ${maybeSent ? 'may have been' : 'was not'} sent.`,
  providerUnreachable: (provider: string, kind: string, reason: string) =>
    `${provider} could not be reached or the exchange failed (${kind}): ${reason}`,
  providerRefused: (refusal: {
    provider: string;
    status: number;
    providerCode?: string;
    providerText?: string;
  }) =>
    `${refusal.provider} refused the message with HTTP ${refusal.status}${refusal.providerCode ? ` (${refusal.providerCode})` : ''}${refusal.providerText ? `: ${refusal.providerText}` : ''}`,
  codeProviderFailed: (failure: {
    provider: string;
    status?: number;
    timedOut: boolean;
    maybeSent: boolean;
  }) =>
    `${codeProviderFailure(failure)}; ${failure.maybeSent ? 'the code may have been sent and stays valid' : 'the code was not sent and is void'}.`,
  codeCooldown: (seconds: number) =>
    `A code for this phone number and purpose was sent moments ago; ${tryAgainIn(seconds)}.`,
  codePhoneLimit: (seconds: number) =>
    `This phone number has received the most codes allowed in an hour; ${tryAgainIn(seconds)}.`,
  codeEnvironmentLimit: (seconds: number) =>
    `The most codes allowed in an hour have been sent for this environment; ${tryAgainIn(seconds)}.`,
  codeCountryNotAllowed: (
    country: string | undefined,
    allowedCountries: readonly string[],
  ) =>
    `The field phone must be a number in ${allowedCountries.join(', ')}; codes are not sent to ${country ? `numbers in ${country}` : 'numbers without a country'}.`,
  codeOptionsInvalid: (problems: readonly ProblemLine[]) =>
    `Invalid SMS code options:\n${problemList(problems)}`,
  codeTemplateTooLong: (template: {
    environment: string | null;
    purpose: SmsCodePurpose;
    locale: string;
    segments: number;
    maxSegments: number;
  }) =>
    `The ${template.purpose} code message (locale ${template.locale}) for ${template.environment === null ? 'the site' : `environment "${template.environment}"`} needs ${template.segments} SMS segments; at most ${template.maxSegments} ${isOrAre(template.maxSegments)} allowed. Shorten the company name, or use one that fits GSM-7.`,
  environmentNameInvalid: () =>
    'The environment name must be 1 to 63 characters of lower-case letters, digits, "-" and "_", starting with a letter or digit.',
  unexpected: () => 'An unexpected error occurred.',
  deliveryReportNotFound: () => 'No message with that id and token.',
  deliveryReportMalformed: (provider: string, problem: string) =>
    `The ${provider} delivery report is malformed: ${problem}.`,
  deliveryReportMismatch: (provider: string, field: string) =>
    `The ${provider} delivery report's ${field} does not match the message.`,
  deliveryReportContended: (id: string) =>
    `The delivery report of message ${id} was not stored: other reports of it kept changing the record; the provider may post it again.`,
  deliveryReportsNotRead: (provider: string) =>
    `${provider} messages take no delivery reports.`,
} as const;
