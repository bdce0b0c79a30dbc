import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { InFlightDrain } from './in-flight.drain.js';
import { InFlightInterceptor } from './in-flight.interceptor.js';

/**
 * Graceful shutdown of the requests in flight: {@link InFlightDrain} and the interceptor that feeds
 * it on every route. The importer that is shut down first (the root module) calls
 * `InFlightDrain.drain()` from its `onModuleDestroy`, before any other module closes what the
 * requests use.
 */
@Module({
  providers: [
    InFlightDrain,
    { provide: APP_INTERCEPTOR, useClass: InFlightInterceptor },
  ],
  exports: [InFlightDrain],
})
export class ShutdownModule {}
