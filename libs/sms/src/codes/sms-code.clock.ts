/**
 * Where `SmsCodeService` reads the time: expiry, cooldowns and hourly caps are all decided by it.
 * Replace it with {@link ManualSmsCodeClock} in tests, through the module option `clock`.
 */
export abstract class SmsCodeClock {
  /** The current time. */
  abstract now(): Date;
}

/** The system clock. */
export class SystemSmsCodeClock extends SmsCodeClock {
  override now(): Date {
    return new Date();
  }
}

/** A clock that only moves when told to, for tests of expiry, cooldowns and caps. */
export class ManualSmsCodeClock extends SmsCodeClock {
  private current: number;

  /** @param start the time the clock shows first. @default the current time */
  constructor(start: Date = new Date()) {
    super();
    this.current = start.getTime();
  }

  override now(): Date {
    return new Date(this.current);
  }

  /** Moves the clock forward by `milliseconds`. */
  advance(milliseconds: number): void {
    this.current += milliseconds;
  }

  /** Sets the clock to `time`. */
  set(time: Date): void {
    this.current = time.getTime();
  }
}
