import { Transform } from 'class-transformer';
import type { SmsQueryParameter } from './sms-settings.interface.js';
import {
  HasNoControlCharacters,
  HasOnlyKnownPlaceholders,
  IsNotBlank,
  IsRequired,
  IsText,
} from './sms-settings.constraints.js';

/**
 * One Access URL query parameter, as validated: a name that is not blank and a value that may be
 * empty and may hold the placeholders `{phone}`, `{message}` and `{fromName}`, but no other `{word}`.
 */
export class SmsQueryParameterDto implements SmsQueryParameter {
  /** The query parameter's name, trimmed. */
  @IsRequired()
  @IsText()
  @IsNotBlank()
  @HasNoControlCharacters()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  name: string;

  /**
   * A fixed value or one with placeholders; kept as written, since spaces may matter to the provider.
   * @default '' (an empty value)
   */
  @IsText()
  @HasOnlyKnownPlaceholders()
  @Transform(({ value }) => value ?? '')
  value: string;
}
