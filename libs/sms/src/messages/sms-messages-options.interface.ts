import type { SmsMessageRecordSource } from './sms-message-record.source.js';

/** The module option `messages`: where records are kept and whether delivery is reported. */
export interface SmsMessagesOptions {
  /**
   * Where the record of every send is written.
   * @default an in-memory source (inject `InMemorySmsMessageRecordSource` to read it)
   */
  source?: SmsMessageRecordSource;
  /**
   * The key (at least 32 random bytes) from which the phone-number HMAC and the delivery report
   * tokens are derived. Instances sharing a record source must share it.
   * @default random bytes, for this process only
   */
  key?: Uint8Array;
  /**
   * The base URL at which providers reach the host (https; http only for a loopback host). When
   * set, Gateway API and Telia sends ask for delivery reports at
   * `{publicUrl}/delivery-reports/{id}/{token}`; the host routes them to `SmsDeliveryReportHandler`.
   * @default none: no reports are asked for and records stay `accepted`
   */
  publicUrl?: string;
}
