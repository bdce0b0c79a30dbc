import type { SmsEncoding } from './message/message-encoding.js';
import type { SmsSettingsOrigin } from './settings/sms-settings.interface.js';

/** One SMS to send. */
export interface SmsSendRequest {
  /** The destination, in E.164 (`+4512345678`); spaces, hyphens, dots and parentheses are ignored. */
  phone: string;
  /** The text. Its encoding and segment count are worked out; too many segments are refused. */
  message: string;
  /**
   * The environment whose settings apply. When left out, the current environment of
   * `SmsEnvironmentContext` is used; with neither, the site settings apply.
   */
  environment?: string | null;
  /**
   * Parts of the text that must not appear in log lines or errors, such as a one-time code: a
   * refused send logs the text with these replaced by `[redacted]`, and a provider answer that
   * repeats them, or the whole text, has them `[redacted]` in the log line and in the error.
   */
  sensitive?: readonly string[];
  /**
   * `fallback` sends through the fallback provider of the settings in use directly, to prove it
   * works before it is needed; `SmsFallbackNotConfiguredError` when they have none.
   * @default 'primary' (the fallback only takes over when the primary certainly did not send)
   */
  use?: 'primary' | 'fallback';
}

/** The outcome of a successful send. */
export interface SmsSendResult {
  /**
   * Our id of the message (UUID v4): the id of its record, of its delivery reports, and the
   * correlation id of its log lines and provider request.
   */
  id: string;
  /** The provider type that took the message. */
  provider: string;
  /** The primary's type when the fallback took the message after a failover, else null. */
  failoverFrom: string | null;
  /** Whether the environment's own settings or the site's were used. */
  source: SmsSettingsOrigin;
  /** The environment the send was made for, or null. */
  environment: string | null;
  /** The provider's message id, when the provider returns one. */
  messageId: string | null;
  encoding: SmsEncoding;
  segments: number;
}
