import {
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  Param,
  Post,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import { SmsDeliveryReportHandler } from '@app/sms';
import { Public } from '../auth/public.decorator.js';
import { ErrorResponseDto } from '../errors/error-response.dto.js';

/**
 * Where Gateway API and Telia post delivery reports, at the URL each send asked for. No API key:
 * the token in the path is the credential.
 */
@ApiTags('Delivery reports')
@Public()
@Controller('delivery-reports')
export class DeliveryReportsController {
  constructor(private readonly handler: SmsDeliveryReportHandler) {}

  /** Applies one report to its message's record. */
  @Post(':id/:token')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Receive a delivery report',
    description:
      "Called by the provider at the URL the send asked for (Settings:DeliveryReports:PublicUrl). The body is the provider's report: Gateway API's JSON, or Telia's deliveryInfoNotification. No API key: the token is the credential.",
  })
  @ApiParam({ name: 'id', description: "The message's id.", format: 'uuid' })
  @ApiParam({
    name: 'token',
    description: 'The capability token of the message.',
  })
  @ApiBody({
    description: "The provider's report (JSON, at most 16 KiB).",
    schema: { type: 'object', additionalProperties: true },
  })
  @ApiNoContentResponse({
    description: 'Applied (or a repeat of a report already applied).',
  })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'Malformed, or about another message.',
  })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'Unknown id or wrong token (the same answer for both).',
  })
  @ApiPayloadTooLargeResponse({
    type: ErrorResponseDto,
    description: 'The body is larger than 16 KiB.',
  })
  async receive(
    @Param('id') id: string,
    @Param('token') token: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.handler.handle({ id, token, body });
  }
}
