import {
  IsOptional,
  ValidateBy,
  validateSync,
  type ValidationArguments,
} from 'class-validator';
import type { SmsModuleOptions } from './sms-module-options.interface.js';
import { SmsSettingsMessages } from './settings/sms-settings.messages.js';
import { MAX_SMS_RETRIES } from './send/sms-retry.policy.js';
import {
  SmsSettingsError,
  type SmsSettingsProblem,
} from './errors/sms-settings.error.js';
import { IsWholeNumberIn } from './settings/whole-number.validator.js';
import { MAX_TIMER_MS } from './sms.timing.js';
import { environmentResolverProblems } from './environment/sms-environment-resolver-option.validator.js';
import { SMS_HTTP_TRANSPORT_KINDS } from './transport/sms-http.transport.js';

const M = SmsSettingsMessages.options;

function IsPositiveInteger(max: number): PropertyDecorator {
  return IsWholeNumberIn(1, max, (property) =>
    M.positiveInteger(property, max),
  );
}

function IsWholeNumber(max: number): PropertyDecorator {
  return IsWholeNumberIn(
    0,
    max,
    (property) =>
      `The option ${property} must be a whole number from 0 to ${max}.`,
  );
}

function IsFunction(): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isFunction',
      validator: { validate: (value) => typeof value === 'function' },
    },
    {
      message: (args: ValidationArguments) =>
        `The option ${args.property} must be a function that takes an IP address and returns true to allow it.`,
    },
  );
}

function IsString(): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isString',
      validator: { validate: (value) => typeof value === 'string' },
    },
    { message: (args: ValidationArguments) => M.notString(args.property) },
  );
}

function IsTransportKind(): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTransportKind',
      validator: {
        validate: (value) =>
          (SMS_HTTP_TRANSPORT_KINDS as readonly unknown[]).includes(value),
      },
    },
    {
      message: (args: ValidationArguments) =>
        `The option ${args.property} must be one of ${SMS_HTTP_TRANSPORT_KINDS.map((kind) => `'${kind}'`).join(', ')}.`,
    },
  );
}

function HasGetMethod(): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasGetMethod',
      validator: {
        validate: (value) =>
          typeof (value as { get?: unknown } | null)?.get === 'function',
      },
    },
    { message: (args: ValidationArguments) => M.noGetMethod(args.property) },
  );
}

/** The options that class-validator checks one by one; `customProviders` is checked entry by entry. */
class SmsModuleOptionsDto {
  @IsOptional()
  @HasGetMethod()
  settingsSource?: unknown;

  @IsOptional()
  @IsPositiveInteger(MAX_TIMER_MS)
  timeoutMs?: unknown;

  @IsOptional()
  @IsPositiveInteger(Number.MAX_SAFE_INTEGER)
  maxResponseBytes?: unknown;

  @IsOptional()
  @IsPositiveInteger(Number.MAX_SAFE_INTEGER)
  maxSegments?: unknown;

  @IsOptional()
  @IsString()
  extraCaCertificates?: unknown;

  @IsOptional()
  @IsPositiveInteger(Number.MAX_SAFE_INTEGER)
  clientAgentCacheSize?: unknown;

  @IsOptional()
  @IsWholeNumber(MAX_SMS_RETRIES)
  retries?: unknown;

  @IsOptional()
  @IsPositiveInteger(Number.MAX_SAFE_INTEGER)
  circuitBreakerThreshold?: unknown;

  @IsOptional()
  @IsPositiveInteger(MAX_TIMER_MS)
  circuitBreakerCooldownMs?: unknown;

  @IsOptional()
  @IsFunction()
  environmentAddressPolicy?: unknown;

  @IsOptional()
  @IsTransportKind()
  transport?: unknown;
}

const CHECKED_OPTIONS = [
  'settingsSource',
  'timeoutMs',
  'maxResponseBytes',
  'maxSegments',
  'extraCaCertificates',
  'clientAgentCacheSize',
  'retries',
  'circuitBreakerThreshold',
  'circuitBreakerCooldownMs',
  'environmentAddressPolicy',
  'transport',
] as const satisfies readonly (keyof SmsModuleOptions &
  keyof SmsModuleOptionsDto)[];

/**
 * Validates the module options at bootstrap; the site settings themselves are validated by
 * `parseSiteSmsSettings`.
 *
 * @throws SmsSettingsError listing every bad option, with paths such as `timeoutMs`,
 *   `customProviders[0].type` or `environmentResolver.header`
 */
export function validateSmsModuleOptions(options: SmsModuleOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new SmsSettingsError([{ path: 'options', message: M.notAnObject() }]);
  }
  const dto = new SmsModuleOptionsDto();
  for (const option of CHECKED_OPTIONS) dto[option] = options[option];
  const problems: SmsSettingsProblem[] = validateSync(dto, {
    validationError: { target: false, value: false },
  }).flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) => ({
      path: error.property,
      message,
    })),
  );
  problems.push(...customProviderProblems(options.customProviders));
  problems.push(...environmentResolverProblems(options.environmentResolver));
  if (problems.length > 0) throw new SmsSettingsError(problems);
}

function customProviderProblems(providers: unknown): SmsSettingsProblem[] {
  if (providers === undefined || providers === null) return [];
  if (!Array.isArray(providers)) {
    return [
      { path: 'customProviders', message: M.notAnArray('customProviders') },
    ];
  }
  const problems: SmsSettingsProblem[] = [];
  const seen = new Set<string>();
  providers.forEach((provider: unknown, index) => {
    const path = `customProviders[${index}]`;
    const candidate = (provider ?? {}) as Record<string, unknown>;
    const { type } = candidate;
    if (typeof type !== 'string' || type.trim() === '') {
      problems.push({
        path: `${path}.type`,
        message: M.providerType(`${path}.type`),
      });
    } else if (seen.has(type)) {
      problems.push({
        path: `${path}.type`,
        message: M.duplicateProviderType(`${path}.type`, type),
      });
    } else {
      seen.add(type);
    }
    if (
      typeof candidate.buildRequest !== 'function' ||
      typeof candidate.readResponse !== 'function'
    ) {
      problems.push({ path, message: M.providerMethods(path) });
    }
  });
  return problems;
}
