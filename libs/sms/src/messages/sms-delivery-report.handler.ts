import { Injectable, Logger } from '@nestjs/common';
import { SMS_ERROR_MESSAGES } from '../errors/sms-errors.messages.js';
import {
  SmsDeliveryReportInvalidError,
  SmsDeliveryReportNotFoundError,
} from '../errors/sms-delivery-report.error.js';
import { SmsEvents } from '../events/sms-events.js';
import { SmsError } from '../errors/sms.error.js';
import { SmsProviderRegistry } from '../providers/sms-provider.registry.js';
import type {
  SmsDeliveryReport,
  SmsMessageRecord,
} from './sms-message-record.interface.js';
import { SmsMessageRecordSource } from './sms-message-record.source.js';
import { applySmsDeliveryReport } from './sms-message-status.rules.js';
import { SmsMessageKeys } from './sms-message.keys.js';

/** A report as it arrived at `{publicUrl}/delivery-reports/{id}/{token}`. */
export interface SmsIncomingDeliveryReport {
  /** The `{id}` of the URL. */
  id: string;
  /** The `{token}` of the URL. */
  token: string;
  /** The body, parsed from JSON. */
  body: unknown;
}

// Concurrent reports of one message are rare: a few tries settle them.
const MAX_UPDATE_ATTEMPTS = 5;

/** The field that names our id in each provider's report, for the mismatch error. */
const REFERENCE_FIELD: Record<string, string> = {
  GatewayApi: 'userref',
  TeliaSmsGateway: 'callbackData',
};

/**
 * Applies delivery reports to message records, for any host: route
 * `POST {publicUrl}/delivery-reports/:id/:token` (without other authentication: the token is the
 * credential) to {@link handle} with the parsed JSON body, and answer with `SmsExceptionFilter`.
 */
@Injectable()
export class SmsDeliveryReportHandler {
  private readonly logger = new Logger('SmsDeliveryReports');

  constructor(
    private readonly source: SmsMessageRecordSource,
    private readonly keys: SmsMessageKeys,
    private readonly registry: SmsProviderRegistry,
    private readonly events: SmsEvents,
  ) {}

  /**
   * Checks the token and that the report names the message, then applies it. A repeat changes
   * nothing and is not an error.
   *
   * @returns the record as it is after the report
   * @throws SmsDeliveryReportNotFoundError for a wrong token or an unknown id (the same error)
   * @throws SmsDeliveryReportInvalidError for a malformed report, or one of another message
   */
  async handle(report: SmsIncomingDeliveryReport): Promise<SmsMessageRecord> {
    if (!this.keys.tokenMatches(report.id, report.token))
      throw new SmsDeliveryReportNotFoundError();
    for (let attempt = 1; ; attempt += 1) {
      const record = await this.source.get(report.id);
      if (!record) throw new SmsDeliveryReportNotFoundError();
      const read = this.read(record, report.body);
      const updated = applySmsDeliveryReport(record, read, new Date());
      // Another report of the same message won the race: apply this one to what it left.
      if (updated && !(await this.source.update(updated, record))) {
        if (attempt < MAX_UPDATE_ATTEMPTS) continue;
        throw new SmsError(
          SMS_ERROR_MESSAGES.deliveryReportContended(record.id),
        );
      }
      return this.applied(record, read, updated);
    }
  }

  /** Counts and logs a report that was stored, or recognised as a repeat. */
  private applied(
    record: SmsMessageRecord,
    read: SmsDeliveryReport,
    updated: SmsMessageRecord | undefined,
  ): SmsMessageRecord {
    if (updated) {
      this.events.emit({
        type: 'delivery-report',
        provider: record.provider,
        status: read.status,
      });
    }
    this.logger.log(
      `Delivery report: id=${record.id} provider=${record.provider} status=${read.status} providerStatus=${read.providerStatus} messageStatus=${(updated ?? record).status}${updated ? '' : ' repeat=true'}`,
    );
    return updated ?? record;
  }

  /** The provider's reading of the body, checked against the record. */
  private read(record: SmsMessageRecord, body: unknown): SmsDeliveryReport {
    const provider = this.registry.types().includes(record.provider)
      ? this.registry.get(record.provider)
      : undefined;
    if (!provider?.readDeliveryReport)
      throw new SmsDeliveryReportInvalidError(
        SMS_ERROR_MESSAGES.deliveryReportsNotRead(record.provider),
      );
    const read = provider.readDeliveryReport(body);
    if (read.reference !== record.id)
      throw mismatch(
        record.provider,
        REFERENCE_FIELD[record.provider] ?? 'reference',
      );
    if (
      read.messageId !== undefined &&
      record.messageId !== null &&
      read.messageId !== record.messageId
    )
      throw mismatch(record.provider, 'id');
    return read;
  }
}

function mismatch(provider: string, field: string) {
  return new SmsDeliveryReportInvalidError(
    SMS_ERROR_MESSAGES.deliveryReportMismatch(provider, field),
  );
}
