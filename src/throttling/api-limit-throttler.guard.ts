import type { ExecutionContext } from '@nestjs/common';
import {
  ThrottlerException,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
} from '@nestjs/throttler';

/**
 * A throttler guard that applies only some of the configured limits (by name) and answers a hit
 * one with 429, `Retry-After` in seconds and a message saying which limit it was. Put a subclass on
 * the routes it limits, after the API-key guard.
 */
export abstract class ApiLimitThrottlerGuard extends ThrottlerGuard {
  /** The names of the limits this guard applies. */
  protected abstract readonly limits: readonly string[];

  /** What the 429 says, for the limit hit and the seconds until a request is let through again. */
  protected abstract refusal(
    detail: ThrottlerLimitDetail,
    seconds: number,
  ): string;

  /** Keeps only this guard's limits of the throttler options. */
  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.throttlers = this.throttlers.filter((throttler) =>
      this.limits.includes(throttler.name ?? ''),
    );
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const seconds = Math.max(1, detail.timeToBlockExpire);
    context
      .switchToHttp()
      .getResponse<{ setHeader(name: string, value: string): void }>()
      .setHeader('Retry-After', String(seconds));
    throw new ThrottlerException(this.refusal(detail, seconds));
  }
}
