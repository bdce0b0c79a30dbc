/**
 * Where a message stands: `accepted` (the provider took it) → `pending` (in transit) → one final
 * status, `delivered`, `failed` or `expired`.
 */
export type SmsMessageStatus =
  'accepted' | 'pending' | 'delivered' | 'failed' | 'expired';

/** One step of a message's history, as a send or a delivery report told it. */
export interface SmsMessageEvent {
  status: SmsMessageStatus;
  /** The provider's own status (`DELIVERED`, `DeliveryImpossible`…), or null. */
  providerStatus: string | null;
  /** When the step was recorded. */
  at: Date;
}

/**
 * The record of one send. It never holds the text, the full number, a code or a secret: the
 * number is kept as a hint for display and as an HMAC for lookups.
 */
export interface SmsMessageRecord {
  /** The send's id (UUID v4), the `id` of its `SmsSendResult`. */
  id: string;
  /** The environment the send was made for, or null for a site send. */
  environment: string | null;
  /** The provider type that took (or refused) the message. */
  provider: string;
  /** The provider's message id, when it gave one. */
  messageId: string | null;
  /** The country code and the last 3 digits, e.g. `+45•••••678`. */
  phone: string;
  /** HMAC-SHA256 of the E.164 number (hex), keyed from the module's message key; never shown. */
  phoneHash: string;
  encoding: string;
  segments: number;
  status: SmsMessageStatus;
  /** The provider's status or, for a failed send, its HTTP status or failure kind. */
  providerStatus: string | null;
  /** The provider's error code, e.g. `0x1013`. */
  errorCode: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** The provider a failover came from; null when the send did not fail over. */
  failoverFrom: string | null;
  /** The history, oldest first. */
  events: SmsMessageEvent[];
}

/** A delivery report as a provider strategy reads it. */
export interface SmsDeliveryReport {
  /** The status it maps to. */
  status: SmsMessageStatus;
  /** The provider's status, as it wrote it. */
  providerStatus: string;
  /** The provider's error code, when it gave one. */
  errorCode?: string;
  /** The id the report names as ours (Gateway API `userref`, Telia `callbackData`). */
  reference?: string;
  /** The provider's message id the report names (Gateway API `id`). */
  messageId?: string;
}
