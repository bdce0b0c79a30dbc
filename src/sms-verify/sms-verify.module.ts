import { Module, UseGuards } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto.js';
import { VerifyThrottlerGuard } from '../throttling/verify-throttler.guard.js';
import { SmsVerifyController } from './sms-verify.controller.js';

// Each check holds a connection to the provider for up to the timeout: limited per API key.
UseGuards(VerifyThrottlerGuard)(SmsVerifyController);
ApiTooManyRequestsResponse({
  type: ErrorResponseDto,
  description:
    'The connection-check limit was hit; see the Retry-After header.',
})(SmsVerifyController);

/**
 * The connection check API: `POST /sms/verify` and `POST /environments/{environment}/sms/verify`.
 * Needs `SmsConnectionVerifier` from a global `SmsModule` and the limits (`ThrottlingModule`).
 */
@Module({ controllers: [SmsVerifyController] })
export class SmsVerifyModule {}
