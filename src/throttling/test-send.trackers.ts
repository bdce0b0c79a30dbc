import type { ExecutionContext } from '@nestjs/common';
import { normalizePhoneNumber, SmsValidationError } from '@app/sms';
import type { ApiKeyRequest } from '../auth/api-key.request.js';

/** The prefix of the trackers that count sends per API key. */
export const API_KEY_TRACKER_PREFIX = 'key:';
/** The prefix of the trackers that count sends per destination number. */
export const PHONE_TRACKER_PREFIX = 'phone:';

/** Counts test sends per API key (by the key's id, never the key); callers without one share a count. */
export function apiKeyTracker(request: ApiKeyRequest): string {
  return `${API_KEY_TRACKER_PREFIX}${request.apiKeyId ?? 'anonymous'}`;
}

/** Counts test sends per destination number, normalized, so that `+45 12 34 56 78` and `+4512345678` count as one. */
export function phoneTracker(request: { body?: unknown }): string {
  return `${PHONE_TRACKER_PREFIX}${destinationOf(request)}`;
}

/** True when the request names no valid number: it gets a 400 from the handler and sends nothing. */
export function hasNoValidDestination(context: ExecutionContext): boolean {
  return (
    destinationOf(context.switchToHttp().getRequest<{ body?: unknown }>()) ===
    undefined
  );
}

function destinationOf(request: { body?: unknown }): string | undefined {
  const phone = (request.body as { phone?: unknown } | undefined)?.phone;
  try {
    return normalizePhoneNumber(phone).e164;
  } catch (error) {
    if (error instanceof SmsValidationError) return undefined;
    throw error;
  }
}
