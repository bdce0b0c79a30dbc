import { ApiProperty } from '@nestjs/swagger';
import type { SmsMessageRecord } from '@app/sms';

const STATUSES = ['accepted', 'pending', 'delivered', 'failed', 'expired'];

/** One step of a message's history. */
export class MessageEventDto {
  /** The status the step reported. */
  @ApiProperty({ enum: STATUSES, example: 'delivered' })
  status: string;

  /** The provider's own status, or null. */
  @ApiProperty({ type: 'string', nullable: true, example: 'DELIVERED' })
  providerStatus: string | null;

  /** When the step was recorded. */
  @ApiProperty({ type: 'string', format: 'date-time' })
  at: string;
}

/** The record of one send. It never holds the text, the full number, a code or a secret. */
export class MessageRecordDto {
  /** Our id of the message, as the send's answer gave it. */
  @ApiProperty({
    format: 'uuid',
    example: '3f0c2a4e-8b1d-4c55-9a63-2f7e1d0b9c41',
  })
  id: string;

  /** The environment of the send; null for a site send. */
  @ApiProperty({ type: 'string', nullable: true, example: null })
  environment: string | null;

  /** The provider type that took (or refused) the message. */
  @ApiProperty({ example: 'GatewayApi' })
  provider: string;

  /** The provider's message id. */
  @ApiProperty({ type: 'string', nullable: true, example: '421332671' })
  messageId: string | null;

  /** The country code and the last 3 digits of the number. */
  @ApiProperty({ example: '+45•••••678' })
  phone: string;

  /** The encoding the text needed. */
  @ApiProperty({ enum: ['GSM-7', 'UCS-2'], example: 'GSM-7' })
  encoding: string;

  /** How many SMS segments the text took. */
  @ApiProperty({ type: 'integer', example: 1 })
  segments: number;

  /** accepted → pending → delivered, failed or expired. */
  @ApiProperty({ enum: STATUSES, example: 'delivered' })
  status: string;

  /** The provider's status, or for a failed send its HTTP status or failure kind. */
  @ApiProperty({ type: 'string', nullable: true, example: 'DELIVERED' })
  providerStatus: string | null;

  /** The provider's error code. */
  @ApiProperty({ type: 'string', nullable: true, example: null })
  errorCode: string | null;

  /** When the send was recorded. */
  @ApiProperty({ type: 'string', format: 'date-time' })
  createdAt: string;

  /** When the record last changed. */
  @ApiProperty({ type: 'string', format: 'date-time' })
  updatedAt: string;

  /** The provider a failover came from; null when the send did not fail over. */
  @ApiProperty({ type: 'string', nullable: true, example: null })
  failoverFrom: string | null;

  /** The history, oldest first. */
  @ApiProperty({ type: [MessageEventDto] })
  events: MessageEventDto[];
}

/** A list of records, newest first. */
export class MessageRecordListDto {
  /** The records. */
  @ApiProperty({ type: [MessageRecordDto] })
  items: MessageRecordDto[];
}

/** A record as the API answers it: without the number's HMAC, times as ISO text. */
export function toMessageRecordDto(record: SmsMessageRecord): MessageRecordDto {
  return {
    id: record.id,
    environment: record.environment,
    provider: record.provider,
    messageId: record.messageId,
    phone: record.phone,
    encoding: record.encoding,
    segments: record.segments,
    status: record.status,
    providerStatus: record.providerStatus,
    errorCode: record.errorCode,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    failoverFrom: record.failoverFrom,
    events: record.events.map((event) => ({
      status: event.status,
      providerStatus: event.providerStatus,
      at: event.at.toISOString(),
    })),
  };
}
