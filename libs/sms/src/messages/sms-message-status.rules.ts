import type {
  SmsDeliveryReport,
  SmsMessageRecord,
  SmsMessageStatus,
} from './sms-message-record.interface.js';

const RANK: Record<SmsMessageStatus, number> = {
  accepted: 0,
  pending: 1,
  delivered: 2,
  failed: 2,
  expired: 2,
};

/**
 * The record after a delivery report, or undefined when the report repeats one already recorded.
 * Statuses only move forward (accepted → pending → final); a report that would move one back, or
 * arrives after a final one, is kept in `events` but leaves the status as it is.
 */
export function applySmsDeliveryReport(
  record: SmsMessageRecord,
  report: SmsDeliveryReport,
  at: Date,
): SmsMessageRecord | undefined {
  const repeat = record.events.some(
    (event) =>
      event.status === report.status &&
      event.providerStatus === report.providerStatus,
  );
  if (repeat) return undefined;
  const moves = RANK[report.status] > RANK[record.status];
  return {
    ...record,
    ...(moves
      ? {
          status: report.status,
          providerStatus: report.providerStatus,
          errorCode: report.errorCode ?? null,
        }
      : {}),
    updatedAt: at,
    events: [
      ...record.events,
      { status: report.status, providerStatus: report.providerStatus, at },
    ],
  };
}
