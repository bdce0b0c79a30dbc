import type {
  SmsDeliveryReport,
  SmsMessageStatus,
} from '../sms-message-record.interface.js';
import {
  malformed,
  optionalText,
  reportObject,
  requiredText,
} from './json-report.fields.js';

const PROVIDER = 'GatewayApi';

/** Gateway API's statuses, as the spec maps them. */
const STATUSES: Record<string, SmsMessageStatus> = {
  DELIVERED: 'delivered',
  UNDELIVERABLE: 'failed',
  REJECTED: 'failed',
  DELETED: 'failed',
  SKIPPED: 'failed',
  EXPIRED: 'expired',
  UNKNOWN: 'pending',
  SCHEDULED: 'pending',
  BUFFERED: 'pending',
  ENROUTE: 'pending',
  ACCEPTED: 'pending',
};

/**
 * Reads a Gateway API delivery report: `{"id", "msisdn", "time", "status", "error"?, "code"?,
 * "userref", …}`.
 *
 * @throws SmsDeliveryReportInvalidError for anything else, or an unknown status
 */
export function readGatewayApiDeliveryReport(body: unknown): SmsDeliveryReport {
  const json = reportObject(body, PROVIDER, 'the body');
  const providerStatus = requiredText(json.status, PROVIDER, 'status');
  const status = Object.hasOwn(STATUSES, providerStatus)
    ? STATUSES[providerStatus]
    : undefined;
  if (!status) throw malformed(PROVIDER, 'status is not a known status');
  return {
    status,
    providerStatus,
    errorCode: optionalText(json.code, PROVIDER, 'code'),
    reference: optionalText(json.userref, PROVIDER, 'userref'),
    messageId: optionalText(json.id, PROVIDER, 'id'),
  };
}
