import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  SmsCodeVerification,
  SmsCodeVerificationResult,
} from '@app/sms/codes/index.js';

const RESULTS: SmsCodeVerificationResult[] = [
  'valid',
  'invalid',
  'expired',
  'too-many-attempts',
  'no-code',
];

/** The answer to a code check. */
export class SmsCodeVerificationDto implements SmsCodeVerification {
  /**
   * `valid` (and now used up), `invalid`, `expired`, `too-many-attempts` (the code is void) or
   * `no-code` (none was sent, or it was used already).
   */
  @ApiProperty({
    enum: RESULTS,
    description:
      'valid: right, and now used up; invalid: wrong (see attemptsLeft); expired; too-many-attempts: the code is void; no-code: none was sent, or it was used already.',
    example: 'valid',
  })
  result: SmsCodeVerificationResult;

  /** With `invalid`: how many more attempts the code allows. */
  @ApiPropertyOptional({ type: 'integer', example: 4 })
  attemptsLeft?: number;
}
