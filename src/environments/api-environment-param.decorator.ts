import { ApiParam } from '@nestjs/swagger';
import { ENVIRONMENT_NAME_PATTERN } from './environment-name.pipe.js';

/** Documents a route's `{environment}` parameter in OpenAPI, with the rule `EnvironmentNamePipe` enforces. */
export const ApiEnvironmentParam = (): MethodDecorator & ClassDecorator =>
  ApiParam({
    name: 'environment',
    description:
      '1–63 lower-case letters, digits, "-" and "_", starting with a letter or digit.',
    schema: { type: 'string', pattern: ENVIRONMENT_NAME_PATTERN.source },
    example: 'tenant-a',
  });
