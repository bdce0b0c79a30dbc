import { Controller, Get } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '../auth/public.decorator.js';
import { ErrorResponseDto } from '../errors/error-response.dto.js';
import { HealthService, type HealthReport } from './health.service.js';

/** `GET /health`: open to everyone; tells nothing secret. */
@ApiTags('Health')
@Controller('health')
@Public()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** The service's state: `ok`, or `degraded` with the part that is. */
  @Get()
  @ApiOperation({
    summary: 'The state of the service',
    description:
      'Open without an API key. Reports the site SMS settings (a client certificate expiring within 30 days or expired makes them degraded) and the store; never a secret or a phone number.',
  })
  @ApiOkResponse({
    description:
      '"ok", or "degraded" (e.g. a client certificate about to expire, the store unreachable), with details per part.',
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['ok', 'degraded'] } },
      additionalProperties: { type: 'object' },
      example: { status: 'ok', sms: { status: 'ok', provider: 'GatewayApi' } },
    },
  })
  @ApiResponse({
    status: '4XX',
    type: ErrorResponseDto,
    description:
      'The request carried a body, which this route does not take, and was refused before the route ran (for example 415 when it is not JSON).',
  })
  check(): Promise<HealthReport> {
    return this.health.check();
  }
}
