import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto.js';
import type { ApiKeyScope } from './api-key.scopes.js';

/** Metadata key of {@link RequiresScope}. */
export const REQUIRED_SCOPE_KEY = 'nest-sms:required-scope';

/** The OpenAPI extension of an operation that names the scope its API key needs. */
export const REQUIRED_SCOPE_EXTENSION = 'x-required-scope';

/**
 * The API-key scope a route needs. `ApiKeyGuard` answers 403 to a known key without it (and to a key
 * limited to other environments, on a route with an `{environment}`); OpenAPI shows the scope as
 * `x-required-scope`, in the operation's description, and a 403 answer.
 */
export const RequiresScope = (scope: ApiKeyScope): MethodDecorator =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPE_KEY, scope),
    ApiExtension(REQUIRED_SCOPE_EXTENSION, scope),
    ApiForbiddenResponse({
      type: ErrorResponseDto,
      description: `The API key does not have the scope ${scope} (or, on a route with an {environment}, is limited to other environments). Nothing was changed or sent.`,
    }),
  );
