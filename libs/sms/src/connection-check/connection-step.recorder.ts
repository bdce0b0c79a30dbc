import { readableErrorText } from '../transport/transport-failure.classifier.js';
import { elapsedMs } from '../sms.timing.js';
import { StepTimeout } from './check-deadline.js';
import type {
  SmsConnectionStep,
  SmsConnectionStepName,
} from './sms-connection-report.interface.js';

/** A step's outcome before it is timed. */
export type StepOutcome = Omit<SmsConnectionStep, 'name' | 'durationMs'>;

/** Runs the steps of one connection check, times each and keeps their outcomes in order. */
export class ConnectionStepRecorder {
  /** Every step run so far, in order. */
  readonly steps: SmsConnectionStep[] = [];

  /** Runs one step; a step that throws has failed, with the error as its detail. */
  async run(
    name: SmsConnectionStepName,
    step: () => Promise<StepOutcome> | StepOutcome,
  ): Promise<SmsConnectionStep> {
    const started = performance.now();
    let outcome: StepOutcome;
    try {
      outcome = await step();
    } catch (error) {
      outcome = { result: 'failed', detail: reasonOf(error) };
    }
    const done = {
      name,
      ...outcome,
      durationMs: outcome.result === 'skipped' ? 0 : elapsedMs(started),
    };
    this.steps.push(done);
    return done;
  }

  /** Records a step that does not run, and why. */
  skip(name: SmsConnectionStepName, detail: string): void {
    this.steps.push({ name, result: 'skipped', detail, durationMs: 0 });
  }

  /** True when no step failed. */
  get ok(): boolean {
    return this.steps.every((step) => step.result !== 'failed');
  }
}

/** A low-level error as one readable line: its code and OpenSSL's short reason. */
export function reasonOf(error: unknown): string {
  if (error instanceof StepTimeout) return error.message;
  const { code, message } = (error ?? {}) as NodeJS.ErrnoException;
  const text = readableErrorText(String(message));
  return code ? `${code}: ${text}` : text;
}
