import {
  BUILT_IN_SMS_PROVIDER_TYPES,
  type BuiltInSmsProviderType,
} from '@app/sms/sms.constants.js';
import { SandboxFieldError } from '../server/sandbox-body.error.js';
import type { SandboxMessage } from './sandbox-message.interface.js';

/** Which messages to show. */
export interface SandboxMessageFilter {
  /** Digits that the destination number contains; other characters are ignored. */
  phone?: string;
  provider?: BuiltInSmsProviderType;
}

/**
 * Reads `phone` and `provider` from a query string.
 *
 * @throws SandboxFieldError when `provider` is not one of the provider types.
 */
export function parseMessageFilter(
  params: URLSearchParams,
): SandboxMessageFilter {
  const phone = params.get('phone')?.replace(/\D/g, '') || undefined;
  const provider = params.get('provider') || undefined;
  if (provider !== undefined && !isProviderType(provider)) {
    throw new SandboxFieldError(
      'provider',
      `must be one of ${BUILT_IN_SMS_PROVIDER_TYPES.join(', ')}.`,
    );
  }
  return { phone, provider };
}

/** True when the message passes the filter. */
export function matchesFilter(
  message: SandboxMessage,
  filter: SandboxMessageFilter,
): boolean {
  const phone = filter.phone?.replace(/\D/g, '');
  return (
    (!phone || message.to.includes(phone)) &&
    (!filter.provider || message.provider === filter.provider)
  );
}

function isProviderType(value: string): value is BuiltInSmsProviderType {
  return (BUILT_IN_SMS_PROVIDER_TYPES as readonly string[]).includes(value);
}
