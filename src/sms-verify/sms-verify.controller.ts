import {
  Controller,
  HttpCode,
  HttpStatus,
  Post,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SmsConnectionVerifier, SmsEnvironmentInterceptor } from '@app/sms';
import { ErrorResponseDto } from '../errors/error-response.dto.js';
import { SmsConnectionReportDto } from './sms-connection-report.dto.js';
import { ApiEnvironmentParam } from '../environments/api-environment-param.decorator.js';
import { RequiresScope } from '../auth/requires-scope.decorator.js';

// On the method, not the class: the method's own 200 (from @HttpCode) would hide a class-level one.
const REPORT = ApiOkResponse({
  type: SmsConnectionReportDto,
  description: 'The check ran; "ok" says whether every step passed.',
});

const CHECKS =
  'Resolves the provider host (environment settings are held to the private-network rule), opens a TCP connection, completes the TLS handshake with the same trust and, for Telia, the same client certificate as a send, and checks the server certificate and the client certificate validity. No SMS and no HTTP request is sent. Settings with a fallback provider have it checked too, at the same time, under "fallback". Answers 200 whether or not the check passed: see "ok" and each step\'s result.';

/**
 * Checks the effective SMS settings of the site or an environment without sending an SMS, so that
 * an operator can tell a DNS, network, TLS or certificate problem from a provider's refusal.
 */
@ApiTags('Verify')
@ApiBearerAuth()
@ApiUnauthorizedResponse({
  type: ErrorResponseDto,
  description: 'No API key, or not a valid one.',
})
@ApiServiceUnavailableResponse({
  type: ErrorResponseDto,
  description: 'No SMS settings apply.',
})
@Controller()
export class SmsVerifyController {
  constructor(private readonly verifier: SmsConnectionVerifier) {}

  /** Checks the site settings (`Settings:Sms`). */
  @Post('sms/verify')
  // send, not read: a check opens connections to the provider, which a read-only key must not cause.
  @RequiresScope('send')
  @HttpCode(HttpStatus.OK)
  @REPORT
  @ApiOperation({
    summary: 'Check the site settings without sending an SMS',
    description: CHECKS,
  })
  verifySiteSettings(): Promise<SmsConnectionReportDto> {
    return this.verifier.verify(null);
  }

  /** Checks the settings a send for the environment would use: its own, else the site's. */
  @Post('environments/:environment/sms/verify')
  @UseInterceptors(SmsEnvironmentInterceptor)
  @RequiresScope('send')
  @HttpCode(HttpStatus.OK)
  @REPORT
  @ApiOperation({
    summary:
      "Check an environment's effective settings (its own, else the site's) without sending an SMS",
    description: CHECKS,
  })
  @ApiEnvironmentParam()
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'The environment name is not valid.',
  })
  // The environment comes from SmsEnvironmentContext, set by the interceptor from {environment}.
  verifyEnvironmentSettings(): Promise<SmsConnectionReportDto> {
    return this.verifier.verify();
  }
}
