import type { SmsEncoding } from '@app/sms/message/message-encoding.js';
import type { BuiltInSmsProviderType } from '@app/sms/sms.constants.js';

/** The request that carried a message, as received, with credentials masked. */
export interface SandboxRecordedRequest {
  method: string;
  /** Path, as received, and query string; the Access URL `username` and `password` values are masked. */
  path: string;
  /** Lower-case header names; `Authorization`, `Proxy-Authorization`, `X-Client-Secret` masked. */
  headers: Record<string, string>;
  /** The request body as UTF-8 text (empty for a GET). */
  body: string;
}

/** One message the sandbox accepted. */
export interface SandboxMessage {
  /** The id the provider endpoint answered with. */
  id: string;
  provider: BuiltInSmsProviderType;
  /** ISO 8601 time of arrival. */
  receivedAt: string;
  /** The destination in E.164, e.g. `+4512345678`. */
  to: string;
  /** The sender name or number, or null when the request gave none. */
  from: string | null;
  text: string;
  encoding: SmsEncoding;
  segments: number;
  /**
   * The environment named in front of the endpoint's path (`/env/<name>/…`, from the API URL in
   * that environment's settings), or null when the path names none.
   */
  environment: string | null;
  request: SandboxRecordedRequest;
  /** The delivery report the request asked for, and what came of posting it; null when none. */
  deliveryReport: SandboxDeliveryReportState | null;
}

/** A delivery report the sandbox posts, in the provider's format. */
export interface SandboxDeliveryReportRequest {
  /** Where the request asked for it (`callback_url`, `receiptRequest.notifyURL`). */
  url: string;
  /** What it reports. */
  status: 'delivered' | 'failed';
  /** The JSON body, as the provider writes it. */
  body: unknown;
}

/** A message's delivery report as the inbox shows it. */
export interface SandboxDeliveryReportState {
  /** What it reports. */
  status: 'delivered' | 'failed';
  /** `waiting` until posted; then `posted` (a 2xx answer), `refused` or `unreachable`. */
  state: 'waiting' | 'posted' | 'refused' | 'unreachable';
  /** The HTTP status the report's URL answered with, once posted. */
  answer: number | null;
}

/** What a provider endpoint knows of a message; the rest is filled in when it is recorded. */
export interface SandboxMessageDraft {
  id: string;
  provider: BuiltInSmsProviderType;
  /** E.164 destination. */
  to: string;
  from: string | null;
  text: string;
  /** The delivery report to post, when the request asked for one. */
  deliveryReport?: SandboxDeliveryReportRequest;
}
