import {
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  Post,
  UseGuards,
  UseInterceptors,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiGatewayTimeoutResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SmsEnvironmentInterceptor, SmsService } from '@app/sms';
import {
  ErrorResponseDto,
  ProviderErrorResponseDto,
} from '../errors/error-response.dto.js';
import { TestSendThrottlerGuard } from '../throttling/test-send-throttler.guard.js';
import {
  DEFAULT_TEST_MESSAGE,
  TestSmsRequestDto,
} from './test-sms-request.dto.js';
import { TestSmsResultDto } from './test-sms-result.dto.js';
import { RequiresScope } from '../auth/requires-scope.decorator.js';
import { ApiEnvironmentParam } from '../environments/api-environment-param.decorator.js';

/**
 * Sends a test SMS with the site's settings or an environment's, so that an operator can check a
 * provider configuration end to end. Limited per API key and per destination number.
 */
@ApiTags('Test send')
@ApiBearerAuth()
@ApiBadRequestResponse({
  type: ErrorResponseDto,
  description:
    'The phone number or text cannot be sent, or use is fallback and the settings have no fallback provider.',
})
@ApiUnauthorizedResponse({
  type: ErrorResponseDto,
  description: 'No API key, or not a valid one.',
})
@ApiTooManyRequestsResponse({
  type: ErrorResponseDto,
  description: 'A test-send limit was hit; see the Retry-After header.',
})
@ApiResponse({
  status: HttpStatus.BAD_GATEWAY,
  type: ProviderErrorResponseDto,
  description: 'The provider refused the message or the exchange failed.',
})
@ApiServiceUnavailableResponse({
  type: ErrorResponseDto,
  description: 'No SMS settings apply.',
})
@ApiGatewayTimeoutResponse({
  type: ProviderErrorResponseDto,
  description:
    'The provider did not answer in time; the message may have been sent.',
})
@Controller()
@UseGuards(TestSendThrottlerGuard)
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }))
export class SmsTestController {
  constructor(private readonly sms: SmsService) {}

  /** Sends a test SMS with the site settings (`Settings:Sms`). */
  @ApiOkResponse({
    type: TestSmsResultDto,
    description: 'The provider took the message.',
  })
  @Post('sms/test')
  @RequiresScope('send')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Send a test SMS with the site settings',
    description:
      'Sends the text (or a default one) to the number with the site settings (Settings:Sms), whatever environment settings exist. Limited per API key and per destination number.',
  })
  sendWithSiteSettings(
    @Body() body: TestSmsRequestDto,
  ): Promise<TestSmsResultDto> {
    return this.sms.send({
      phone: body.phone,
      message: body.message ?? DEFAULT_TEST_MESSAGE,
      environment: null,
      use: body.use,
    });
  }

  /** Sends a test SMS for an environment: its own settings, else the site's. */
  @ApiOkResponse({
    type: TestSmsResultDto,
    description: 'The provider took the message.',
  })
  @Post('environments/:environment/sms/test')
  @RequiresScope('send')
  @HttpCode(HttpStatus.OK)
  @UseInterceptors(SmsEnvironmentInterceptor)
  @ApiOperation({
    summary:
      "Send a test SMS for an environment: its own settings, else the site's",
    description:
      "Sends the text (or a default one) to the number with the environment's own settings when it has some, else with the site's; the answer's source says which. Limited per API key and per destination number.",
  })
  @ApiEnvironmentParam()
  // The interceptor checks {environment} (a bad name is a 400 before this runs) and makes it the
  // current environment of SmsEnvironmentContext, which the send reads.
  sendForEnvironment(
    @Body() body: TestSmsRequestDto,
  ): Promise<TestSmsResultDto> {
    return this.sms.send({
      phone: body.phone,
      message: body.message ?? DEFAULT_TEST_MESSAGE,
      use: body.use,
    });
  }
}
