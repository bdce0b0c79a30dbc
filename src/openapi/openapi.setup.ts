import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Where the OpenAPI page is served; the JSON document is at `/docs/json`. */
export const OPENAPI_PATH = 'docs';

/**
 * Serves the OpenAPI description of the HTTP API at `/docs` (page) and `/docs/json` (document),
 * with the bearer API key as the security scheme. Both are open without a key: they describe the
 * API and hold no data.
 */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('nest-sms')
    .setDescription(
      'Sends SMS through Access URL, Gateway API, Smstools and Telia SMS Gateway, with site settings and per-environment settings. Every endpoint but /health and these pages needs "Authorization: Bearer <API key>".',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'One of Settings:Api:Keys',
    })
    .build();
  SwaggerModule.setup(
    OPENAPI_PATH,
    app,
    () => SwaggerModule.createDocument(app, config),
    {
      jsonDocumentUrl: `${OPENAPI_PATH}/json`,
    },
  );
}
