import type { NestExpressApplication } from '@nestjs/platform-express';
import { setUpOpenApi } from './openapi/openapi.setup.js';

/** The largest JSON request body accepted; a larger one is answered with 413. */
export const MAX_REQUEST_BODY = '100kb';

/**
 * What the application needs beyond its modules: the request body limit, the OpenAPI pages, and no
 * `X-Powered-By` header.
 * Called by `main.ts` and by tests, so that both run the same application.
 */
export function setUpApplication(app: NestExpressApplication): void {
  // The framework's name helps nobody but someone probing for its known weaknesses.
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: MAX_REQUEST_BODY });
  setUpOpenApi(app);
}
