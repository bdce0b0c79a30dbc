import { STATUS_CODES } from 'node:http';
import type { SmsCodeLimit } from '../errors/codes/sms-code-rate-limit.error.js';

/**
 * The JSON body of an error answer: `{statusCode, error, message}` and, by kind, what the client
 * can act on.
 */
export interface SmsErrorBody {
  /** The HTTP status code, repeated. */
  statusCode: number;
  /** The status text, e.g. `Bad Gateway`. */
  error: string;
  /** What went wrong; a list when several fields failed. */
  message: string | string[];
  /** The request field at fault (400). */
  field?: string;
  /** The limit that refused a code send (429). */
  limit?: SmsCodeLimit;
  /** Seconds until a code send can succeed, as in `Retry-After` (429). */
  retryAfterSeconds?: number;
  /** The provider type (502, 504). */
  provider?: string;
  /** The HTTP status the provider answered with; null when it did not answer (502, 504). */
  providerStatus?: number | null;
  /** The provider's own error code; null when there is none, and always for a code send (502, 504). */
  providerCode?: string | null;
  /** False when the message was certainly not sent; true when it may have been (502, 504). */
  maybeSent?: boolean;
  /** The request's id, when the host sets an `X-Request-Id` answer header (every status). */
  requestId?: string;
  /** The primary's type, when the fallback failed too after a failover (502, 504). */
  failoverFrom?: string;
}

/** What a body carries beside `statusCode`, `error` and `message`. */
export type SmsErrorDetails = Omit<
  SmsErrorBody,
  'statusCode' | 'error' | 'message'
>;

/** The body of an answer with `statusCode`, its status text and `message`, then the details. */
export function errorBody(
  statusCode: number,
  message: string | string[],
  details: SmsErrorDetails = {},
): SmsErrorBody {
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    ...details,
  };
}
