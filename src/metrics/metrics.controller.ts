import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import { RequiresScope } from '../auth/requires-scope.decorator.js';

/**
 * `GET /metrics`: the Prometheus text exposition, for API keys with the `metrics` scope. Left out
 * of the OpenAPI document: Prometheus, not an API client, reads it.
 */
@ApiExcludeController()
@Controller()
export class MetricsController extends PrometheusController {
  /** The metrics, in Prometheus' text format. */
  @Get()
  @RequiresScope('metrics')
  override index(
    @Res({ passthrough: true }) response: unknown,
  ): Promise<string> {
    return super.index(response);
  }
}
