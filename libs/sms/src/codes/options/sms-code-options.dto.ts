import {
  IsOptional,
  ValidateBy,
  validateSync,
  type ValidationArguments,
} from 'class-validator';
import type { SmsSettingsProblem } from '../../errors/index.js';
import type { SmsCodeModuleOptions } from './sms-code-module-options.interface.js';
import { SmsCodeOptionsMessages as M } from './sms-code-options.messages.js';

// setInterval fires at once for longer delays.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** True when `value` is a whole number from `min` to `max`. */
export function isWholeNumberIn(
  value: unknown,
  min: number,
  max: number,
): value is number {
  return (
    Number.isInteger(value) &&
    (value as number) >= min &&
    (value as number) <= max
  );
}

function IsWholeNumberIn(min: number, max: number): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWholeNumberIn',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => isWholeNumberIn(value, min, max),
      },
    },
    {
      message: (args: ValidationArguments) =>
        M.wholeNumber(args.property, min, max),
    },
  );
}

/** The numeric options and their ranges, checked by class-validator. */
class SmsCodeNumericOptionsDto {
  @IsOptional()
  @IsWholeNumberIn(1, 100)
  maxCompanyNameLength?: unknown;

  @IsOptional()
  @IsWholeNumberIn(4, 20)
  codeLength?: unknown;

  @IsOptional()
  @IsWholeNumberIn(1, 100)
  maxAttempts?: unknown;

  @IsOptional()
  @IsWholeNumberIn(0, 86_400)
  resendCooldownSeconds?: unknown;

  @IsOptional()
  @IsWholeNumberIn(1, 1_000_000)
  maxSendsPerPhonePerHour?: unknown;

  @IsOptional()
  @IsWholeNumberIn(1, 1_000_000_000)
  maxSendsPerEnvironmentPerHour?: unknown;

  @IsOptional()
  @IsWholeNumberIn(1, 10)
  maxSegments?: unknown;

  @IsOptional()
  @IsWholeNumberIn(1000, MAX_TIMER_MS)
  purgeIntervalMs?: unknown;
}

/** The names of the numeric options. */
export type SmsCodeNumericOption = keyof SmsCodeNumericOptionsDto &
  keyof SmsCodeModuleOptions;

const NUMERIC_OPTIONS: SmsCodeNumericOption[] = [
  'maxCompanyNameLength',
  'codeLength',
  'maxAttempts',
  'resendCooldownSeconds',
  'maxSendsPerPhonePerHour',
  'maxSendsPerEnvironmentPerHour',
  'maxSegments',
  'purgeIntervalMs',
];

/** Checks the numeric options; one problem per option out of its range. */
export function numericSmsCodeOptionProblems(
  options: SmsCodeModuleOptions,
): SmsSettingsProblem[] {
  const dto = new SmsCodeNumericOptionsDto();
  for (const name of NUMERIC_OPTIONS) dto[name] = options[name];
  return validateSync(dto).flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) => ({
      path: error.property,
      message,
    })),
  );
}
