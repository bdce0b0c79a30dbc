import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString } from 'class-validator';

/** The text of a test SMS when the request gives none. */
export const DEFAULT_TEST_MESSAGE = 'Test SMS from nest-sms';

/** The body of a test send. */
export class TestSmsRequestDto {
  /** The destination in E.164; spaces, hyphens, dots and parentheses are ignored. */
  @ApiProperty({
    description:
      'The destination in E.164 form (+ and the country code); spaces, hyphens, dots and parentheses are ignored.',
    example: '+4512345678',
  })
  @IsString()
  @IsNotEmpty()
  phone: string;

  /** The text. @default "Test SMS from nest-sms" */
  @ApiPropertyOptional({
    description:
      'The text; its encoding (GSM-7 or UCS-2) and segment count are worked out.',
    default: DEFAULT_TEST_MESSAGE,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  message?: string;

  /** `fallback` sends through the fallback provider directly. @default "primary" */
  @ApiPropertyOptional({
    description:
      'fallback sends through the fallback provider of the settings in use directly, to prove it works before it is needed (400 when the settings have none); primary sends as usual, failing over only when the primary certainly did not send.',
    enum: ['primary', 'fallback'],
    default: 'primary',
  })
  @IsOptional()
  @IsIn(['primary', 'fallback'])
  use?: 'primary' | 'fallback';
}
