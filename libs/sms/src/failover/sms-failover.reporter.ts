import { Injectable, Logger } from '@nestjs/common';
import { SmsProviderError } from '../errors/sms-provider.error.js';
import { withProviderErrorDetails } from '../errors/sms-provider-error.copy.js';
import { SmsEvents } from '../events/sms-events.js';
import type { SmsPhoneNumber } from '../message/phone-number.js';
import type { SmsSettings } from '../settings/sms-settings.interface.js';
import {
  sourceForLog,
  type ResolvedSmsSettings,
} from '../settings/sms-settings.resolver.js';
import type { SmsFailoverCause } from './sms-failover.policy.js';

/** One send going to the fallback: what the log line and the event say. */
export interface SmsFailover {
  resolved: ResolvedSmsSettings;
  fallback: SmsSettings;
  phone: SmsPhoneNumber;
  cause: SmsFailoverCause;
}

/**
 * Tells of failovers and of the primary's circuit: one log line per failover (from, to, reason,
 * environment, phone number; provider types only, never a setting's value) and a `failover` event.
 */
@Injectable()
export class SmsFailoverReporter {
  private readonly logger = new Logger('SmsService');

  constructor(private readonly events: SmsEvents) {}

  /** Logs the failover and emits its event. */
  failedOver({ resolved, fallback, phone, cause }: SmsFailover): void {
    const from = resolved.settings.type;
    this.logger.warn(
      `SMS failover: from=${from} to=${fallback.type} phone=${phone.e164} ${sourceForLog(resolved)} environment=${resolved.environment ?? '-'} reason=${cause.detail}`,
    );
    this.events.emit({
      type: 'failover',
      from,
      to: fallback.type,
      reason: cause.reason,
    });
  }

  /** The primary's circuit opened: its sends go to the fallback for `cooldownMs`. */
  circuitOpened(resolved: ResolvedSmsSettings, cooldownMs: number): void {
    this.logger.warn(
      `SMS circuit opened: provider=${resolved.settings.type} ${sourceForLog(resolved)} fallback=${resolved.settings.fallback?.type ?? '-'} openForMs=${cooldownMs}`,
    );
  }

  /** The primary took a message after its circuit was open. */
  circuitClosed(resolved: ResolvedSmsSettings): void {
    this.logger.log(
      `SMS circuit closed: provider=${resolved.settings.type} ${sourceForLog(resolved)}`,
    );
  }
}

/**
 * The fallback's error as the caller gets it: the same error (provider, status, `maybeSent` of the
 * fallback) that also names the primary it failed over from. Other errors pass unchanged.
 */
export function withFailoverFrom(
  error: unknown,
  failoverFrom: string,
): unknown {
  return error instanceof SmsProviderError
    ? withProviderErrorDetails(error, { failoverFrom })
    : error;
}
