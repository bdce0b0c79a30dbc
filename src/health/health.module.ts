import {
  Module,
  type DynamicModule,
  type ModuleMetadata,
  type Type,
} from '@nestjs/common';
import { HealthController } from './health.controller.js';
import { HEALTH_INDICATORS, type HealthIndicator } from './health-indicator.js';
import { HealthService } from './health.service.js';
import { SmsHealthIndicator } from './sms-health.indicator.js';

/** Options of {@link HealthModule.forRoot}. */
export interface HealthModuleOptions {
  /** Modules that provide what the extra indicators need. @default [] */
  imports?: ModuleMetadata['imports'];
  /** Indicators besides the SMS one, e.g. the store's. @default [] */
  indicators?: Type<HealthIndicator>[];
}

/** `GET /health`, reporting on the site's SMS provider and any other registered part. */
@Module({})
export class HealthModule {
  /** Registers the endpoint with the SMS indicator and the given ones, in that order. */
  static forRoot(options: HealthModuleOptions = {}): DynamicModule {
    const indicators: Type<HealthIndicator>[] = [
      SmsHealthIndicator,
      ...(options.indicators ?? []),
    ];
    return {
      module: HealthModule,
      imports: options.imports ?? [],
      controllers: [HealthController],
      providers: [
        ...indicators,
        {
          provide: HEALTH_INDICATORS,
          inject: indicators,
          useFactory: (...instances: HealthIndicator[]) => instances,
        },
        HealthService,
      ],
    };
  }
}
