import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  Min,
} from 'class-validator';
import { MAX_SMS_MESSAGE_RECORDS_LISTED } from '@app/sms';

/** The query of a lookup by number. */
export class MessageListQueryDto {
  /** The number, in E.164 as a send takes it. */
  @ApiProperty({
    example: '+4512345678',
    description:
      'The number in E.164; a leading + written unencoded in the query (read as a space) is taken as +.',
  })
  // `?phone=+4512345678` as typed arrives as " 4512345678": a query string's + is a space.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^ \d/.test(value)
      ? `+${value.slice(1)}`
      : value,
  )
  @IsString()
  @IsNotEmpty()
  phone: string;

  /** How many records, newest first. @default 20 */
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_SMS_MESSAGE_RECORDS_LISTED,
    default: 20,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SMS_MESSAGE_RECORDS_LISTED)
  limit?: number;
}
