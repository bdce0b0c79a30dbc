import { Injectable } from '@nestjs/common';
import { SmsNotConfiguredError } from '../errors/sms-not-configured.error.js';
import { SmsProviderError } from '../errors/sms-provider.error.js';
import { SmsValidationError } from '../errors/sms-validation.error.js';
import type {
  SmsAttemptResult,
  SmsSendOutcome,
} from '../events/sms-event.interface.js';
import { SmsEvents } from '../events/sms-events.js';
import type { PreparedSend } from './prepared-send.interface.js';
import type { ResolvedSmsSettings } from '../settings/sms-settings.resolver.js';
import type { SmsSendResult } from '../sms-send.interface.js';
import type { SmsSettingsOrigin } from '../settings/sms-settings.interface.js';

/**
 * Tells {@link SmsEvents} how each send and each of its exchanges ended, in the bounded values that
 * metric labels may hold: the provider type and the settings' source, never the environment's name.
 */
@Injectable()
export class SmsSendEventEmitter {
  constructor(private readonly events: SmsEvents) {}

  /** One exchange with the provider ended. */
  attempt(send: PreparedSend, result: SmsAttemptResult): void {
    this.events.emit({
      type: 'attempt',
      provider: send.resolved.settings.type,
      result,
    });
  }

  /** A send ended with the provider's acceptance. */
  sent(
    started: number,
    result: Pick<SmsSendResult, 'provider' | 'source'>,
  ): void {
    this.emit(started, result, 'sent');
  }

  /**
   * A send failed. Its provider is the one tried last (the fallback's, after a failover);
   * `resolved` is undefined when the send failed before its settings were resolved.
   */
  failed(
    started: number,
    resolved: ResolvedSmsSettings | undefined,
    error: unknown,
  ): void {
    const provider =
      error instanceof SmsProviderError
        ? error.provider
        : (resolved?.settings.type ?? null);
    const source = resolved?.source ?? null;
    this.emit(started, { provider, source }, outcomeOf(error));
  }

  private emit(
    started: number,
    {
      provider,
      source,
    }: { provider: string | null; source: SmsSettingsOrigin | null },
    outcome: SmsSendOutcome,
  ): void {
    this.events.emit({
      type: 'send',
      provider,
      source,
      outcome,
      durationSeconds: (performance.now() - started) / 1000,
    });
  }
}

function outcomeOf(error: unknown): SmsSendOutcome {
  if (error instanceof SmsValidationError) return 'invalid';
  if (error instanceof SmsNotConfiguredError) return 'not_configured';
  if (error instanceof SmsProviderError && error.maybeSent) return 'maybe_sent';
  return 'not_sent';
}
