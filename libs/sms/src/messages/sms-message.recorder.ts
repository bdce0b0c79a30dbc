import { Inject, Injectable, Logger } from '@nestjs/common';
import { SmsProviderError } from '../errors/sms-provider.error.js';
import type { SmsProvider } from '../providers/sms-provider.interface.js';
import type { SendBasis } from '../send/send-basis.interface.js';
import type { SmsSendResult } from '../sms-send.interface.js';
import type { SmsModuleOptions } from '../sms-module-options.interface.js';
import { SMS_MODULE_OPTIONS } from '../sms.module-definition.js';
import { SmsTransportError } from '../transport/sms-transport.error.js';
import { deliveryReportUrl } from './delivery-report-url.js';
import { phoneHint } from './phone-hint.js';
import type {
  SmsMessageRecord,
  SmsMessageStatus,
} from './sms-message-record.interface.js';
import { SmsMessageRecordSource } from './sms-message-record.source.js';
import { SmsMessageKeys } from './sms-message.keys.js';

/** What a send came to, as its record keeps it: the provider tried last and its answer. */
type SendEnd = { provider: string; failoverFrom: string | null } & (
  | { messageId: string | null }
  | { providerStatus: string | null; errorCode: string | null }
);

/**
 * Writes the record of every send that got as far as a provider, sent or failed, and says where
 * a send asks for its delivery report. A record that cannot be written is logged and does not fail
 * the send: the message went out (or failed) either way.
 */
@Injectable()
export class SmsMessageRecorder {
  private readonly logger = new Logger('SmsMessages');
  private readonly publicUrl: string | undefined;

  constructor(
    @Inject(SMS_MODULE_OPTIONS) options: SmsModuleOptions,
    private readonly source: SmsMessageRecordSource,
    private readonly keys: SmsMessageKeys,
  ) {
    // Checked with the other options at bootstrap (validateSmsMessagesOptions).
    this.publicUrl = options.messages?.publicUrl;
  }

  /** The URL a send of `provider` asks its report at, or undefined when it asks for none. */
  reportUrlFor(provider: SmsProvider, id: string): string | undefined {
    if (!this.publicUrl || !provider.readDeliveryReport) return undefined;
    return deliveryReportUrl(this.publicUrl, id, this.keys.token(id));
  }

  /** Records a message a provider took, as `accepted`, under the provider that took it. */
  async recordSent(
    send: SendBasis,
    result: Pick<SmsSendResult, 'provider' | 'messageId' | 'failoverFrom'>,
  ): Promise<void> {
    await this.write(send, result);
  }

  /**
   * Records a send that failed at a provider, as `failed` with the provider's status and code,
   * under the provider tried last (the fallback's, after a failover).
   */
  async recordFailed(send: SendBasis, error: unknown): Promise<void> {
    const failure =
      error instanceof SmsProviderError
        ? {
            provider: error.provider,
            failoverFrom: error.failoverFrom,
            providerStatus:
              error.status !== undefined
                ? String(error.status)
                : error.cause instanceof SmsTransportError
                  ? error.cause.kind
                  : null,
            errorCode: error.providerCode ?? null,
          }
        : {
            provider: send.resolved.settings.type,
            failoverFrom: null,
            providerStatus: null,
            errorCode: null,
          };
    await this.write(send, failure);
  }

  private async write(send: SendBasis, end: SendEnd): Promise<void> {
    const record = this.recordOf(send, end);
    try {
      await this.source.create(record);
    } catch (error) {
      this.logger.error(
        `Message record not written: id=${record.id} reason=${(error as Error).message}`,
      );
    }
  }

  private recordOf(send: SendBasis, end: SendEnd): SmsMessageRecord {
    const now = new Date();
    const sent = 'messageId' in end;
    const status: SmsMessageStatus = sent ? 'accepted' : 'failed';
    const providerStatus = sent ? null : end.providerStatus;
    return {
      id: send.id,
      environment: send.resolved.environment,
      provider: end.provider,
      messageId: sent ? end.messageId : null,
      phone: phoneHint(send.phone),
      phoneHash: this.keys.phoneHash(send.phone.e164),
      encoding: send.encoding,
      segments: send.segments,
      status,
      providerStatus,
      errorCode: sent ? null : end.errorCode,
      createdAt: now,
      updatedAt: now,
      failoverFrom: end.failoverFrom,
      events: [{ status, providerStatus, at: now }],
    };
  }
}
