import { ApiProperty } from '@nestjs/swagger';
import type { SmsEncoding, SmsSendResult, SmsSettingsOrigin } from '@app/sms';

/** The answer to a successful test send. */
export class TestSmsResultDto implements SmsSendResult {
  /** Our id of the message: `GET /sms/messages/{id}` shows its record. */
  @ApiProperty({
    format: 'uuid',
    example: '3f0c2a4e-8b1d-4c55-9a63-2f7e1d0b9c41',
  })
  id: string;

  /** The provider type that took the message. */
  @ApiProperty({ example: 'GatewayApi' })
  provider: string;

  /** The primary's type when the fallback took the message after a failover; null otherwise. */
  @ApiProperty({
    type: 'string',
    nullable: true,
    example: null,
    description:
      "The primary provider's type when the fallback provider sent the message after a failover; null when no failover happened.",
  })
  failoverFrom: string | null;

  /** Whether the environment's own settings or the site's were used. */
  @ApiProperty({ enum: ['site', 'environment'], example: 'site' })
  source: SmsSettingsOrigin;

  /** The environment the send was made for; null for a send with the site settings. */
  @ApiProperty({ type: 'string', nullable: true, example: null })
  environment: string | null;

  /** The provider's message id, when the provider returns one. */
  @ApiProperty({ type: 'string', nullable: true, example: '421332671' })
  messageId: string | null;

  /** The encoding the text needs. */
  @ApiProperty({ enum: ['GSM-7', 'UCS-2'], example: 'GSM-7' })
  encoding: SmsEncoding;

  /** How many SMS segments the text takes. */
  @ApiProperty({ type: 'integer', example: 1 })
  segments: number;
}
