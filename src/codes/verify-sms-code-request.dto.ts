import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import {
  SMS_CODE_PURPOSES,
  type SmsCodePurpose,
} from '@app/sms/codes/index.js';

/** The body of a code check. */
export class VerifySmsCodeRequestDto {
  /** The number the code was sent to, in any form the send accepted. */
  @ApiProperty({ example: '+4512345678' })
  @MaxLength(40, { message: 'The field phone must be at most 40 characters.' })
  @IsString({ message: 'The field phone must be text.' })
  @IsNotEmpty({ message: 'The field phone is required.' })
  phone: string;

  /** The purpose the code was sent for. */
  @ApiProperty({ enum: SMS_CODE_PURPOSES, example: 'two-factor' })
  @IsIn(SMS_CODE_PURPOSES, {
    message: `The field purpose must be one of ${SMS_CODE_PURPOSES.join(', ')}.`,
  })
  purpose: SmsCodePurpose;

  /** What the user typed. */
  @ApiProperty({
    description: 'What the user typed; surrounding spaces are ignored.',
    example: '482913',
  })
  @MaxLength(64, { message: 'The field code must be at most 64 characters.' })
  @IsString({ message: 'The field code must be text.' })
  @IsNotEmpty({ message: 'The field code is required.' })
  code: string;
}
