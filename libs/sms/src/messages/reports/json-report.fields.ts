import { SMS_ERROR_MESSAGES } from '../../errors/sms-errors.messages.js';
import { SmsDeliveryReportInvalidError } from '../../errors/sms-delivery-report.error.js';

/** A JSON object, as a report's body or a part of it. */
export type ReportObject = Record<string, unknown>;

/** The value as an object, or a 400 naming what was expected. */
export function reportObject(
  value: unknown,
  provider: string,
  name: string,
): ReportObject {
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return value as ReportObject;
  throw malformed(provider, `${name} must be an object`);
}

/** A text or number field as text; undefined when absent. */
export function optionalText(
  value: unknown,
  provider: string,
  name: string,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw malformed(provider, `${name} must be text`);
}

/** A required text field. */
export function requiredText(
  value: unknown,
  provider: string,
  name: string,
): string {
  const text = optionalText(value, provider, name);
  if (text === undefined || text === '')
    throw malformed(provider, `${name} is required`);
  return text;
}

/** The error of a body that is not a report of the provider. */
export function malformed(
  provider: string,
  problem: string,
): SmsDeliveryReportInvalidError {
  return new SmsDeliveryReportInvalidError(
    SMS_ERROR_MESSAGES.deliveryReportMalformed(provider, problem),
  );
}
