/**
 * How a send ended, as counted by operators: `sent` (the provider took it), `not_sent` (it
 * certainly did not reach the provider), `maybe_sent` (it may have), `invalid` (refused before any
 * request: a bad number or text), `not_configured` (no settings to send with).
 */
export type SmsSendOutcome =
  'sent' | 'not_sent' | 'maybe_sent' | 'invalid' | 'not_configured';

/** What one exchange with a provider came to: its status class, or a failure without an answer. */
export type SmsAttemptResult = '2xx' | '4xx' | '5xx' | 'network' | 'timeout';

/** Why a send went to the fallback provider. */
export type SmsFailoverReason = 'network' | 'status' | 'circuit_open';

/**
 * What the library reports as it works, for a host to count or trace. Events carry no phone
 * number, environment name, message text, id or secret: only bounded values fit for metric labels.
 */
export type SmsEvent =
  | {
      /** A send ended (after its retries and any failover). */
      type: 'send';
      /** The provider type that sent or failed last; null when none was resolved. */
      provider: string | null;
      /** Where the settings came from; null when none were resolved. */
      source: 'site' | 'environment' | null;
      outcome: SmsSendOutcome;
      durationSeconds: number;
    }
  | {
      /** One exchange with a provider ended. */
      type: 'attempt';
      provider: string;
      result: SmsAttemptResult;
    }
  | {
      /** A send went to the fallback provider. */
      type: 'failover';
      from: string;
      to: string;
      reason: SmsFailoverReason;
    }
  | {
      /** A delivery report was applied to a message record. */
      type: 'delivery-report';
      provider: string;
      status: string;
    }
  | {
      /** A one-time code was sent. */
      type: 'code-sent';
      purpose: string;
    }
  | {
      /** A one-time code was checked. */
      type: 'code-verified';
      purpose: string;
      result: string;
    };

/** A function told of every {@link SmsEvent}. */
export type SmsEventListener = (event: SmsEvent) => void;
