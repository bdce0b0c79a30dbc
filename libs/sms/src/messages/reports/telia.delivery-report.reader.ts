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

const PROVIDER = 'TeliaSmsGateway';

/** Telia's delivery statuses, as the spec maps them. */
const STATUSES: Record<string, SmsMessageStatus> = {
  DeliveredToTerminal: 'delivered',
  DeliveryImpossible: 'failed',
  DeliveredToNetwork: 'pending',
  MessageWaiting: 'pending',
  DeliveryUncertain: 'pending',
  // The network cannot tell: the message stays as the provider took it.
  DeliveryNotificationNotSupported: 'accepted',
};

/**
 * Reads a Telia delivery report: `{"deliveryInfoNotification": {"callbackData", "deliveryInfo":
 * {"address", "deliveryStatus"}}}`, `callbackData` possibly inside `deliveryInfo`.
 *
 * @throws SmsDeliveryReportInvalidError for anything else, or an unknown status
 */
export function readTeliaDeliveryReport(body: unknown): SmsDeliveryReport {
  const json = reportObject(body, PROVIDER, 'the body');
  const notification = reportObject(
    json.deliveryInfoNotification,
    PROVIDER,
    'deliveryInfoNotification',
  );
  const info = reportObject(
    notification.deliveryInfo,
    PROVIDER,
    'deliveryInfo',
  );
  const providerStatus = requiredText(
    info.deliveryStatus,
    PROVIDER,
    'deliveryStatus',
  );
  const status = Object.hasOwn(STATUSES, providerStatus)
    ? STATUSES[providerStatus]
    : undefined;
  if (!status)
    throw malformed(PROVIDER, 'deliveryStatus is not a known status');
  return {
    status,
    providerStatus,
    reference:
      optionalText(notification.callbackData, PROVIDER, 'callbackData') ??
      optionalText(info.callbackData, PROVIDER, 'callbackData'),
  };
}
