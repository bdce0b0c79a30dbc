import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of every error answer. */
export class ErrorResponseDto {
  /** The HTTP status code, repeated. */
  @ApiProperty({ example: 400 })
  statusCode: number;

  /** The status text. */
  @ApiProperty({ example: 'Bad Request' })
  error: string;

  /** What went wrong; a list when several fields failed. */
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example:
      'The phone number must be in E.164 form: + and the country code, then 2 to 15 digits in all (e.g. +4512345678).',
  })
  message: string | string[];

  /** The request's id, as in the `X-Request-Id` answer header: quote it when reporting a problem. */
  @ApiProperty({ example: '5f0c6e1a-8d0e-4c3b-9a57-2b1f4f7f9f0e' })
  requestId: string;
}

/** The body of a 502 or 504 answer: the provider refused the message, failed, or timed out. */
export class ProviderErrorResponseDto extends ErrorResponseDto {
  /** The provider type. */
  @ApiProperty({ example: 'GatewayApi' })
  provider: string;

  /** The HTTP status the provider answered with; null when it did not answer. */
  @ApiProperty({ type: 'integer', nullable: true, example: 403 })
  providerStatus: number | null;

  /** The provider's own error code, when its answer could be read; always null for a one-time code. */
  @ApiProperty({ type: 'string', nullable: true, example: '0x0216' })
  providerCode: string | null;

  /**
   * False when the message was certainly not sent; true when it may have been. Do not send again
   * when true: the recipient could get the message twice.
   */
  @ApiProperty({ example: false })
  maybeSent: boolean;

  /**
   * Present when the fallback provider failed too after a failover: the primary's type. The other
   * fields are then the fallback's.
   */
  @ApiPropertyOptional({
    example: 'GatewayApi',
    description:
      "The primary provider's type, present when this is the fallback provider's failure after a failover; provider, providerStatus, providerCode and maybeSent are then the fallback's.",
  })
  failoverFrom?: string;
}
