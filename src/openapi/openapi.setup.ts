import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
} from '@nestjs/swagger';
import { REQUIRED_SCOPE_EXTENSION } from '../auth/requires-scope.decorator.js';

/** Where the OpenAPI page is served; the JSON document is at `/docs/json`, the YAML one at `/docs-yaml`. */
export const OPENAPI_PATH = 'docs';

/** The tags of the operations, declared once at the top of the document with what they group. */
const TAGS: Record<string, string> = {
  Health: 'The state of the service; open without a key.',
  'Test send': "Test SMS with the site's or an environment's settings.",
  Verify: 'Connection checks of the effective SMS settings, without sending.',
  'Environment settings': "Environments' own SMS settings.",
  'One-time codes': 'Verification, login and two-factor codes over SMS.',
  Messages:
    'The records of sends: status, provider status, history; never the text.',
  'Delivery reports':
    'Where providers post delivery reports; open without a key, the token in the path is the credential.',
};

const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const;

/**
 * Serves the OpenAPI description of the HTTP API at `/docs` (page), `/docs/json` and `/docs-yaml`
 * (document), with the bearer API key as the security scheme. All three are open without a key:
 * they describe the API and hold no data. The server is the service's own origin (`/`); an
 * operation open without a key says so with `security: []`, and the others name their API-key scope.
 */
export function setUpOpenApi(app: INestApplication): void {
  const builder = new DocumentBuilder()
    .setTitle('nest-sms')
    .setDescription(
      'Sends SMS through Access URL, Gateway API, Smstools and Telia SMS Gateway, with site settings and per-environment settings. Every endpoint but `/health`, the delivery report route and these pages needs the header `Authorization: Bearer <API key>`.',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    .addServer('/', 'This service')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description:
        'One of Settings:Api:Keys. A key has scopes (send, codes, admin, read, metrics) and may be limited to some environments; each operation names the scope it needs in x-required-scope.',
    });
  for (const [name, description] of Object.entries(TAGS)) {
    builder.addTag(name, description);
  }
  const config = builder.build();
  SwaggerModule.setup(
    OPENAPI_PATH,
    app,
    () => describeSecurity(SwaggerModule.createDocument(app, config)),
    { jsonDocumentUrl: `${OPENAPI_PATH}/json` },
  );
}

/**
 * Completes each operation's security from the routes' decorators: `security: []` where there is no
 * requirement of its own (the API-key guard protects every route but the `@Public()` ones, whose
 * controllers carry no `@ApiBearerAuth()`), and the scope of `x-required-scope` in the description.
 */
function describeSecurity(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = path[method];
      if (!operation) continue;
      if (operation.security === undefined) operation.security = [];
      const scope: unknown = Reflect.get(operation, REQUIRED_SCOPE_EXTENSION);
      if (typeof scope === 'string') {
        operation.description =
          `${operation.description ?? ''} Needs an API key with the scope ${scope}.`.trim();
      }
    }
  }
  return document;
}
