import { IsOptional, validateSync } from 'class-validator';
import type { SmsSettingsProblem } from '../../errors/sms-settings.error.js';
import type { SmsCodeModuleOptions } from './sms-code-module-options.interface.js';
import { SmsCodeOptionsMessages as M } from './sms-code-options.messages.js';
import { IsWholeNumberIn } from '../../settings/whole-number.validator.js';
import { MAX_TIMER_MS } from '../../sms.timing.js';

function IsWholeNumberOption(min: number, max: number): PropertyDecorator {
  return IsWholeNumberIn(min, max, (property) =>
    M.wholeNumber(property, min, max),
  );
}

/** The numeric options and their ranges, checked by class-validator. */
class SmsCodeNumericOptionsDto {
  @IsOptional()
  @IsWholeNumberOption(1, 100)
  maxCompanyNameLength?: unknown;

  @IsOptional()
  @IsWholeNumberOption(4, 20)
  codeLength?: unknown;

  @IsOptional()
  @IsWholeNumberOption(1, 100)
  maxAttempts?: unknown;

  @IsOptional()
  @IsWholeNumberOption(0, 86_400)
  resendCooldownSeconds?: unknown;

  @IsOptional()
  @IsWholeNumberOption(1, 1_000_000)
  maxSendsPerPhonePerHour?: unknown;

  @IsOptional()
  @IsWholeNumberOption(1, 1_000_000_000)
  maxSendsPerEnvironmentPerHour?: unknown;

  @IsOptional()
  @IsWholeNumberOption(1, 10)
  maxSegments?: unknown;

  @IsOptional()
  @IsWholeNumberOption(1000, MAX_TIMER_MS)
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
