import {
  BadRequestException,
  Injectable,
  type PipeTransform,
} from '@nestjs/common';

/** 1–63 lower-case letters, digits, `-` and `_`, starting with a letter or digit. */
export const ENVIRONMENT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Refuses a route's environment name that is not 1–63 lower-case letters, digits, `-` and `_`. */
@Injectable()
export class EnvironmentNamePipe implements PipeTransform<string, string> {
  /** @throws BadRequestException naming the parameter and the rule */
  transform(value: string): string {
    if (!ENVIRONMENT_NAME.test(value)) {
      throw new BadRequestException(
        'The environment name must be 1 to 63 characters of lower-case letters, digits, "-" and "_", starting with a letter or digit.',
      );
    }
    return value;
  }
}
