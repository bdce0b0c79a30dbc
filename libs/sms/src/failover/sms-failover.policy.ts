import { SmsProviderError } from '../errors/sms-provider.error.js';
import type { SmsFailoverReason } from '../events/sms-event.interface.js';
import {
  SmsTransportError,
  type SmsTransportFailureKind,
} from '../transport/sms-transport.error.js';

/** Why a send went to the fallback: the event's bounded reason and the log line's words. */
export interface SmsFailoverCause {
  /** `network`, `status` or `circuit_open`, as the `failover` event carries it. */
  reason: SmsFailoverReason;
  /** What the log line says, e.g. `connect refused`, `status 503`, `circuit-open`. */
  detail: string;
}

/** The primary's circuit is open: the send goes to the fallback without trying the primary. */
export const CIRCUIT_OPEN: SmsFailoverCause = {
  reason: 'circuit_open',
  detail: 'circuit-open',
};

/** The least time a failover must have left of the send's timeout, in milliseconds. */
export const MIN_FAILOVER_MS = 100;

// A provider that called the message malformed would refuse it anywhere.
const MALFORMED_MESSAGE_STATUSES = new Set([400, 422]);

const NETWORK_DETAILS: Partial<Record<SmsTransportFailureKind, string>> = {
  dns: 'dns failure',
  connect: 'connect refused',
  tls: 'tls handshake failed',
  timeout: 'timeout before the request was written',
  reset: 'reset before the request was written',
};

/**
 * Why the primary's final failure lets the send go to the fallback, or undefined when it does not.
 * Only a failure that certainly left nothing at the provider (`maybeSent: false`) fails over, and
 * not a 400 or 422; a failure that may have sent the message never does, so that nobody gets the
 * message twice.
 */
export function failoverCauseOf(error: unknown): SmsFailoverCause | undefined {
  if (!(error instanceof SmsProviderError) || error.maybeSent) return undefined;
  if (error.status !== undefined) {
    return MALFORMED_MESSAGE_STATUSES.has(error.status)
      ? undefined
      : { reason: 'status', detail: `status ${error.status}` };
  }
  if (error.cause instanceof SmsTransportError) {
    const { kind } = error.cause;
    return { reason: 'network', detail: NETWORK_DETAILS[kind] ?? kind };
  }
  // Refused before any exchange: the primary's client certificate cannot be used.
  return { reason: 'network', detail: 'client certificate unusable' };
}
