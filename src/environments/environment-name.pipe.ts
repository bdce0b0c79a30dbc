import {
  BadRequestException,
  Injectable,
  type PipeTransform,
} from '@nestjs/common';

/** An environment's name: 1–63 lower-case letters, digits, `-` and `_`, starting with a letter or digit. */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Refuses a route's `{environment}` that is not a valid environment name, with a 400. */
@Injectable()
export class EnvironmentNamePipe implements PipeTransform<unknown, string> {
  /** @throws BadRequestException listing the rule, e.g. `environment: The environment name must be ...` */
  transform(value: unknown): string {
    if (typeof value !== 'string' || !ENVIRONMENT_NAME_PATTERN.test(value)) {
      throw new BadRequestException([
        'environment: The environment name must be 1 to 63 characters of lower-case letters, digits, "-" and "_", starting with a letter or digit.',
      ]);
    }
    return value;
  }
}
