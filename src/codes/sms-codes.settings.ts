import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';
import { toNumber } from '../config/settings-value.transforms.js';
import type { SmsCodePurpose } from '@app/sms/codes/index.js';

const wholeNumber = (field: string) =>
  IsInt({ message: `The field ${field} must be a whole number.` });

/** `Settings:Codes:LifetimeSeconds`: how long a code verifies, per purpose. */
export class SmsCodeLifetimeSettings {
  /** @default 600 */
  @IsOptional()
  @Transform(toNumber)
  @wholeNumber('PasswordlessLogin')
  PasswordlessLogin?: number;

  /** @default 600 */
  @IsOptional()
  @Transform(toNumber)
  @wholeNumber('PhoneConfirmation')
  PhoneConfirmation?: number;

  /** @default 600 */
  @IsOptional()
  @Transform(toNumber)
  @wholeNumber('SetPassword')
  SetPassword?: number;

  /** @default 300 */
  @IsOptional()
  @Transform(toNumber)
  @wholeNumber('TwoFactor')
  TwoFactor?: number;
}

/**
 * `Settings:Codes`: one-time codes over SMS. The types are checked here; the ranges, the country
 * codes and the domain are checked by `SmsCodeModule` at start-up, under the option names.
 */
export class SmsCodesSettings {
  /** The company name in code texts. @default the FromName of the environment's settings, else the site's */
  @IsOptional()
  @IsString({ message: 'The field CompanyName must be text.' })
  CompanyName?: string;

  /** A domain that switches on origin-bound codes (`@login.example.com #123456`). @default none */
  @IsOptional()
  @IsString({ message: 'The field OriginDomain must be text.' })
  OriginDomain?: string;

  /** ISO 3166-1 alpha-2 countries codes may be sent to. @default every country */
  @IsOptional()
  @IsArray({
    message: 'The field AllowedCountries must be a list of country codes.',
  })
  @IsString({
    each: true,
    message: 'Every entry of AllowedCountries must be text.',
  })
  AllowedCountries?: string[];

  /** @default 6 */
  @IsOptional()
  @Transform(toNumber)
  @wholeNumber('CodeLength')
  CodeLength?: number;

  /** The characters of a code. @default 0123456789 */
  @IsOptional()
  @IsString({ message: 'The field CodeAlphabet must be text.' })
  CodeAlphabet?: string;

  /** @default 5 */
  @IsOptional()
  @Transform(toNumber)
  @wholeNumber('MaxAttempts')
  MaxAttempts?: number;

  /** @default 60 */
  @IsOptional()
  @Transform(toNumber)
  @wholeNumber('ResendCooldownSeconds')
  ResendCooldownSeconds?: number;

  /** @default 5 */
  @IsOptional()
  @Transform(toNumber)
  @wholeNumber('MaxSendsPerPhonePerHour')
  MaxSendsPerPhonePerHour?: number;

  /** @default 1000 */
  @IsOptional()
  @Transform(toNumber)
  @wholeNumber('MaxSendsPerEnvironmentPerHour')
  MaxSendsPerEnvironmentPerHour?: number;

  /** Lifetimes per purpose, in seconds. */
  @IsOptional()
  @IsObject({
    message:
      'The section LifetimeSeconds must be an object of keys and values.',
  })
  @ValidateNested()
  @Type(() => SmsCodeLifetimeSettings)
  LifetimeSeconds?: SmsCodeLifetimeSettings;
}

/** The keys of `Settings:Codes`, spelled as documented (for case-insensitive reading). */
export const SMS_CODES_SETTINGS_KEY_NAMES = [
  'Codes',
  'CompanyName',
  'OriginDomain',
  'AllowedCountries',
  'CodeLength',
  'CodeAlphabet',
  'MaxAttempts',
  'ResendCooldownSeconds',
  'MaxSendsPerPhonePerHour',
  'MaxSendsPerEnvironmentPerHour',
  'LifetimeSeconds',
  'PasswordlessLogin',
  'PhoneConfirmation',
  'SetPassword',
  'TwoFactor',
] as const;

/** `Settings:Codes` as the service reads it; what is left out takes the library's default. */
export interface SmsCodesConfig {
  companyName?: string;
  originDomain?: string;
  allowedCountries?: string[];
  codeLength?: number;
  codeAlphabet?: string;
  maxAttempts?: number;
  resendCooldownSeconds?: number;
  maxSendsPerPhonePerHour?: number;
  maxSendsPerEnvironmentPerHour?: number;
  lifetimeSeconds?: Partial<Record<SmsCodePurpose, number>>;
}

/** The validated `Settings:Codes` section in the service's camelCase form. */
export function toSmsCodesConfig(
  settings: SmsCodesSettings | undefined,
): SmsCodesConfig {
  const s = settings ?? {};
  const lifetimes = s.LifetimeSeconds ?? {};
  const lifetimeSeconds = Object.fromEntries(
    Object.entries({
      'passwordless-login': lifetimes.PasswordlessLogin,
      'phone-confirmation': lifetimes.PhoneConfirmation,
      'set-password': lifetimes.SetPassword,
      'two-factor': lifetimes.TwoFactor,
    }).filter(([, seconds]) => seconds !== undefined),
  );
  return {
    companyName: s.CompanyName,
    originDomain: s.OriginDomain,
    allowedCountries: s.AllowedCountries,
    codeLength: s.CodeLength,
    codeAlphabet: s.CodeAlphabet,
    maxAttempts: s.MaxAttempts,
    resendCooldownSeconds: s.ResendCooldownSeconds,
    maxSendsPerPhonePerHour: s.MaxSendsPerPhonePerHour,
    maxSendsPerEnvironmentPerHour: s.MaxSendsPerEnvironmentPerHour,
    lifetimeSeconds,
  };
}
