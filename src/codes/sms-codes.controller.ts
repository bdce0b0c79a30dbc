import {
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  Post,
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
import { SmsEnvironmentInterceptor } from '@app/sms';
import { SmsCodeService } from '@app/sms/codes/index.js';
import {
  ErrorResponseDto,
  ProviderErrorResponseDto,
} from '../errors/error-response.dto.js';
import { SendSmsCodeRequestDto } from './send-sms-code-request.dto.js';
import { SmsCodeSentDto } from './sms-code-sent.dto.js';
import { SmsCodeVerificationDto } from './sms-code-verification.dto.js';
import { VerifySmsCodeRequestDto } from './verify-sms-code-request.dto.js';
import { ApiEnvironmentParam } from '../environments/api-environment-param.decorator.js';
import { RequiresScope } from '../auth/requires-scope.decorator.js';

/**
 * One-time codes over SMS for an environment: send one for a purpose, then check what the user
 * typed. Codes are stored only as keyed hashes, work once, expire, and are void after too many
 * wrong attempts; sends are limited per number, purpose and environment.
 */
@ApiTags('One-time codes')
@ApiBearerAuth()
@ApiEnvironmentParam()
@ApiBadRequestResponse({
  type: ErrorResponseDto,
  description:
    'An invalid environment name or body field, a number that cannot be sent to, or a country that is not allowed.',
})
@ApiUnauthorizedResponse({
  type: ErrorResponseDto,
  description: 'No API key, or not a valid one.',
})
@Controller('environments/:environment/sms/codes')
// Checks {environment} before any handler and makes it the current environment of
// SmsEnvironmentContext, which the code service reads.
@UseInterceptors(SmsEnvironmentInterceptor)
@UsePipes(
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: true,
  }),
)
export class SmsCodesController {
  constructor(private readonly codes: SmsCodeService) {}

  /** Sends a new code; a code sent before for the same number and purpose stops working. */
  @Post()
  @RequiresScope('codes')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Send a one-time code',
    description:
      "Generates a code, sends it in the purpose's text (in the locale asked for) through the environment's SMS settings, else the site's, and stores only its keyed hash. The answer never contains the code.",
  })
  @ApiOkResponse({ type: SmsCodeSentDto, description: 'The code was sent.' })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description:
      'A resend cooldown, the cap per number per hour or the cap per environment per hour; see the Retry-After header. Nothing was sent.',
  })
  @ApiResponse({
    status: HttpStatus.BAD_GATEWAY,
    type: ProviderErrorResponseDto,
    description:
      'The provider refused the message or the exchange failed; the code is void.',
  })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description:
      "No SMS settings apply, or the environment's company name makes the text too long for its segment limit.",
  })
  @ApiGatewayTimeoutResponse({
    type: ProviderErrorResponseDto,
    description:
      'The provider did not answer in time; the code is void, though it may have been sent.',
  })
  send(@Body() body: SendSmsCodeRequestDto): Promise<SmsCodeSentDto> {
    return this.codes.send({
      phone: body.phone,
      purpose: body.purpose,
      locale: body.locale,
    });
  }

  /** Checks a code; the right code is used up by the check that accepts it. */
  @Post('verify')
  @RequiresScope('codes')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Check a one-time code',
    description:
      'Every check of a live code counts as an attempt; after the limit (5 by default) the code is void. The answer is 200 whatever the result.',
  })
  @ApiOkResponse({
    type: SmsCodeVerificationDto,
    description: 'The result of the check.',
  })
  verify(
    @Body() body: VerifySmsCodeRequestDto,
  ): Promise<SmsCodeVerificationDto> {
    return this.codes.verify({
      phone: body.phone,
      purpose: body.purpose,
      code: body.code,
    });
  }
}
