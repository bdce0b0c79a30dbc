import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  SMS_CODE_PURPOSES,
  type SmsCodePurpose,
} from '@app/sms/codes/index.js';

/** A language tag such as `en`, `da` or `da-DK`. */
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** The body of a code send. */
// class-validator runs a property's decorators from the bottom up; with stopAtFirstError only the
// first failure is reported, so the most basic check is written last.
export class SendSmsCodeRequestDto {
  /** The destination in E.164; spaces, hyphens, dots and parentheses are ignored. */
  @ApiProperty({
    description:
      'The destination in E.164 form (+ and the country code); spaces, hyphens, dots and parentheses are ignored.',
    example: '+4512345678',
  })
  @MaxLength(40, { message: 'The field phone must be at most 40 characters.' })
  @IsString({ message: 'The field phone must be text.' })
  @IsNotEmpty({ message: 'The field phone is required.' })
  phone: string;

  /** What the code is for; each purpose has its own code, lifetime and text. */
  @ApiProperty({ enum: SMS_CODE_PURPOSES, example: 'two-factor' })
  @IsIn(SMS_CODE_PURPOSES, {
    message: `The field purpose must be one of ${SMS_CODE_PURPOSES.join(', ')}.`,
  })
  purpose: SmsCodePurpose;

  /** The language of the text. @default the configured default locale (en) */
  @ApiPropertyOptional({
    description:
      'The language of the text: the exact locale, then its language, then the default (en). Built in: en, da.',
    example: 'da-DK',
  })
  @IsOptional()
  @MaxLength(35, { message: 'The field locale must be at most 35 characters.' })
  @Matches(LOCALE, {
    message: 'The field locale must be a language tag such as en, da or da-DK.',
  })
  @IsString({ message: 'The field locale must be text.' })
  locale?: string;
}
