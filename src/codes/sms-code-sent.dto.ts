import { ApiProperty } from '@nestjs/swagger';
import type { SmsCodeSendResult } from '@app/sms/codes/index.js';

/** The answer to a code send. It never contains the code. */
export class SmsCodeSentDto implements SmsCodeSendResult {
  /** The id of the message that carried the code: `GET …/sms/messages/{id}` shows its record. */
  @ApiProperty({
    format: 'uuid',
    example: '3f0c2a4e-8b1d-4c55-9a63-2f7e1d0b9c41',
  })
  id: string;

  /** When the code stops verifying. */
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    example: '2030-01-01T12:05:00.000Z',
  })
  expiresAt: Date;

  /** When a new code for the same number and purpose may be asked for. */
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    example: '2030-01-01T12:01:00.000Z',
  })
  resendAfter: Date;

  /** The SMS segments the message took. */
  @ApiProperty({ type: 'integer', example: 1 })
  segments: number;
}
