import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ApiKeyRequest } from './api-key.request.js';

/**
 * The `Name` of the API key that authorised the request (`key-1`, `key-2`... for a key configured
 * as plain text), for log lines; never the key itself. Undefined where no API-key guard runs.
 */
export const ApiKeyName = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined =>
    context.switchToHttp().getRequest<ApiKeyRequest>().apiKeyName,
);
