import { SMS_ERROR_MESSAGES } from '../errors/sms-errors.messages.js';

/**
 * The rule of an environment's name: 1 to 63 lower-case letters, digits, `-` and `_`, starting with
 * a letter or digit. It fits in a DNS label, a URL path segment and a log line without escaping.
 */
export const SMS_ENVIRONMENT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** {@link SMS_ENVIRONMENT_NAME_PATTERN} in words, as errors and documentation state it. */
export const SMS_ENVIRONMENT_NAME_RULE =
  SMS_ERROR_MESSAGES.environmentNameInvalid();

/** Whether `value` is a valid environment name (see {@link SMS_ENVIRONMENT_NAME_PATTERN}). */
export function isSmsEnvironmentName(value: unknown): value is string {
  return typeof value === 'string' && SMS_ENVIRONMENT_NAME_PATTERN.test(value);
}
