import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { ApiKeyAuthenticator } from './auth/api-key.authenticator.js';
import type { ServiceConfig } from './config/service-config.interface.js';
import { refuseUnauthenticatedBody } from './http/api-key-before-body.middleware.js';
import { requireJsonBody } from './http/json-content-type.middleware.js';
import { refuseDeepJson } from './http/json-depth.middleware.js';
import {
  isDeliveryReportRequest,
  readDeliveryReportBody,
} from './messages/delivery-report-body.middleware.js';
import { applyServerTimeouts } from './http/server-timeouts.js';
import { setUpOpenApi } from './openapi/openapi.setup.js';
import { bindRequestId } from './logging/request-id.middleware.js';
import { ServiceLogger } from './logging/service.logger.js';
import { TEST_SENDS_REFUSED_METRIC } from './metrics/metrics.module.js';
import {
  countUnauthorizedTestSends,
  TEST_SEND_PATHS,
} from './metrics/test-send-refusals.middleware.js';

/** The largest JSON request body accepted; a larger one is answered with 413. */
export const MAX_REQUEST_BODY = '100kb';

/** Options of {@link createApplication}. */
export interface CreateApplicationOptions {
  /** The logger, or false for none. @default a `ServiceLogger` as `Settings:Logging` sets it up */
  logger?: LoggerService | false;
}

/**
 * Builds the service for a loaded and validated configuration: the modules, the logger, request
 * ids (`X-Request-Id`), the count of unauthorized test sends, the server timeouts
 * that cut slow clients, the API key checked before a body is read, the request body limits (JSON
 * only, its size and its nesting depth), the OpenAPI pages, no `X-Powered-By` header, and, once
 * shutdown begins, 503 for new requests.
 * Used by `main.ts` and by the tests, so that both run the same application. Start-up errors are
 * thrown, not turned into an abort.
 */
export async function createApplication(
  config: ServiceConfig,
  options: CreateApplicationOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config),
    {
      abortOnError: false,
      return503OnClosing: true,
      logger: options.logger ?? new ServiceLogger(config.logging),
    },
  );
  // The framework's name helps nobody but someone probing for its known weaknesses.
  app.disable('x-powered-by');
  applyServerTimeouts(app.getHttpServer(), config.api);
  app.use(bindRequestId);
  if (config.metrics.enabled) {
    app.use(
      TEST_SEND_PATHS,
      countUnauthorizedTestSends(app.get(TEST_SENDS_REFUSED_METRIC)),
    );
  }
  app.use(
    refuseUnauthenticatedBody(
      app.get(ApiKeyAuthenticator),
      isDeliveryReportRequest,
    ),
  );
  app.use(requireJsonBody);
  app.use(readDeliveryReportBody);
  app.useBodyParser('json', { limit: MAX_REQUEST_BODY });
  app.use(refuseDeepJson);
  // Again: the body parser's callbacks lose the request's context.
  app.use(bindRequestId);
  setUpOpenApi(app);
  return app;
}
