import { ApiProperty, PickType } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { SendSmsCodeRequestDto } from './send-sms-code-request.dto.js';

/** The body of a code check: the number and purpose the code was sent for, and the code. */
export class VerifySmsCodeRequestDto extends PickType(SendSmsCodeRequestDto, [
  'phone',
  'purpose',
] as const) {
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
