import { ApiParam } from '@nestjs/swagger';
import { SMS_ENVIRONMENT_NAME_PATTERN } from '@app/sms';

/** Documents a route's `{environment}` parameter in OpenAPI, with the library's naming rule. */
export const ApiEnvironmentParam = (): MethodDecorator & ClassDecorator =>
  ApiParam({
    name: 'environment',
    description:
      '1–63 lower-case letters, digits, "-" and "_", starting with a letter or digit.',
    schema: { type: 'string', pattern: SMS_ENVIRONMENT_NAME_PATTERN.source },
    example: 'tenant-a',
  });
