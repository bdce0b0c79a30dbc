// class-transformer's @Type reads the design types that TypeScript emits.
import 'reflect-metadata';
import { Transform, Type, type TransformFnParams } from 'class-transformer';
import { ValidateIf, ValidateNested } from 'class-validator';
import {
  BUILT_IN_SMS_PROVIDER_TYPES,
  type BuiltInSmsProviderType,
} from '../sms.constants.js';
import type { SmsSettings } from './sms-settings.interface.js';
import { SmsSettingsMessages as M } from './sms-settings.messages.js';
import { SmsQueryParameterDto } from './sms-query-parameter.dto.js';
import {
  HasEntries,
  HasMaxCharacters,
  HasNoControlCharacters,
  HasValueWithPlaceholder,
  IsAsciiFor,
  IsList,
  IsNotBlank,
  IsRequired,
  IsRequiredForType,
  IsSenderName,
  IsSmsApiUrl,
  IsSmsProviderType,
  IsText,
  smsSettingsValidationContextOf,
} from './sms-settings.constraints.js';

/** The camelCase fields of SMS settings, in the order they are reported. */
export const SMS_SETTINGS_FIELDS = [
  'type',
  'fromName',
  'apiUrl',
  'parameters',
  'clientId',
  'clientSecret',
  'label',
  'certificatePemCrt',
  'certificatePemKey',
] as const satisfies readonly (keyof SmsSettings)[];

/** One camelCase field of SMS settings. */
export type SmsSettingsField = (typeof SMS_SETTINGS_FIELDS)[number];

const COMMON_FIELDS = ['type', 'fromName', 'apiUrl'] as const;

/** The fields each built-in provider type has; keys of other types are ignored. */
export const SMS_SETTINGS_FIELDS_BY_TYPE: Readonly<
  Record<BuiltInSmsProviderType, readonly SmsSettingsField[]>
> = {
  AccessUrl: [...COMMON_FIELDS, 'parameters'],
  GatewayApi: [...COMMON_FIELDS, 'clientSecret', 'label'],
  Smstools: [...COMMON_FIELDS, 'clientId', 'clientSecret'],
  TeliaSmsGateway: [
    ...COMMON_FIELDS,
    'clientId',
    'clientSecret',
    'certificatePemCrt',
    'certificatePemKey',
  ],
};

const REQUIRED_FIELDS_BY_TYPE: Readonly<
  Record<BuiltInSmsProviderType, readonly SmsSettingsField[]>
> = {
  AccessUrl: ['parameters'],
  GatewayApi: ['clientSecret'],
  Smstools: ['clientId', 'clientSecret'],
  TeliaSmsGateway: [
    'clientId',
    'clientSecret',
    'certificatePemCrt',
    'certificatePemKey',
  ],
};

function isBuiltInType(type: unknown): type is BuiltInSmsProviderType {
  return (BUILT_IN_SMS_PROVIDER_TYPES as readonly unknown[]).includes(type);
}

/**
 * The fields settings of a type may have: a built-in type's own fields (even when a custom provider
 * replaces its strategy), every field for a custom type, and the common ones for an unknown type.
 */
export function smsSettingsFieldsOf(
  type: unknown,
  customTypes: readonly string[],
): readonly SmsSettingsField[] {
  if (isBuiltInType(type)) return SMS_SETTINGS_FIELDS_BY_TYPE[type];
  if (typeof type === 'string' && customTypes.includes(type)) {
    return SMS_SETTINGS_FIELDS;
  }
  return COMMON_FIELDS;
}

// Validates a type-specific field when the type has it and it is either set or required.
function appliesTo(field: SmsSettingsField) {
  return (settings: SmsSettingsDto, value: unknown): boolean => {
    const { customTypes } = smsSettingsValidationContextOf(settings);
    if (!smsSettingsFieldsOf(settings.type, customTypes).includes(field)) {
      return false;
    }
    const required =
      isBuiltInType(settings.type) &&
      REQUIRED_FIELDS_BY_TYPE[settings.type].includes(field);
    return required || (value !== undefined && value !== null);
  };
}

const trim = ({ value }: TransformFnParams): unknown =>
  typeof value === 'string' ? value.trim() : value;

const HEADER_SECRET_TYPES = ['GatewayApi', 'Smstools', 'TeliaSmsGateway'];

/**
 * SMS settings in the camelCase shape (`SmsSettings`), with the rules of each provider type.
 * `parseEnvironmentSmsSettings` and `parseSiteSmsSettings` run it and add the checks that need
 * more than one object: unknown keys, the client certificate and custom providers' own rules.
 */
export class SmsSettingsDto implements SmsSettings {
  /** `AccessUrl`, `GatewayApi`, `Smstools`, `TeliaSmsGateway` or a registered custom type. */
  @IsRequired()
  @IsText()
  @IsNotBlank()
  @IsSmsProviderType()
  @Transform(trim)
  type: string;

  /** The sender name: at most 100 characters; GatewayApi and Smstools allow 11, or 15/14 digits. */
  @IsRequired()
  @IsText()
  @IsNotBlank()
  @HasNoControlCharacters()
  @IsSenderName()
  @Transform(trim)
  fromName: string;

  /** Absolute https URL, at most 500 characters; Access URL: without a query string. */
  @IsRequired()
  @IsText()
  @IsNotBlank()
  @HasMaxCharacters(500)
  @IsSmsApiUrl()
  @Transform(trim)
  apiUrl: string;

  /** Access URL: the query parameters, in order; at least one, with `{phone}` and `{message}`. */
  @ValidateIf(appliesTo('parameters'))
  @IsRequiredForType()
  @IsList()
  @HasEntries()
  @HasValueWithPlaceholder('{phone}', ['AccessUrl'])
  @HasValueWithPlaceholder('{message}', ['AccessUrl'])
  @ValidateNested({ message: () => M.parameterNotAnObject() })
  @Type(() => SmsQueryParameterDto)
  parameters?: SmsQueryParameterDto[];

  /** Smstools: the client id (sent in a header). Telia: the sender address. At most 300 characters. */
  @ValidateIf(appliesTo('clientId'))
  @IsRequiredForType()
  @IsText()
  @IsNotBlank()
  @HasMaxCharacters(300)
  @HasNoControlCharacters()
  @IsAsciiFor(['Smstools'])
  @Transform(trim)
  clientId?: string;

  /** The token, client secret or API key, sent in a header; at most 300 characters, never trimmed. */
  @ValidateIf(appliesTo('clientSecret'))
  @IsRequiredForType()
  @IsText()
  @IsNotBlank()
  @HasMaxCharacters(300)
  @HasNoControlCharacters()
  @IsAsciiFor(HEADER_SECRET_TYPES)
  clientSecret?: string;

  /** Gateway API: an optional label, at most 100 characters. */
  @ValidateIf(appliesTo('label'))
  @IsText()
  @HasMaxCharacters(100)
  @HasNoControlCharacters()
  @Transform(trim)
  label?: string;

  /** Telia: the PEM client certificate for mutual TLS. */
  @ValidateIf(appliesTo('certificatePemCrt'))
  @IsRequiredForType()
  @IsText()
  @IsNotBlank()
  certificatePemCrt?: string;

  /** Telia: the unencrypted PEM private key of the client certificate. */
  @ValidateIf(appliesTo('certificatePemKey'))
  @IsRequiredForType()
  @IsText()
  @IsNotBlank()
  certificatePemKey?: string;
}
