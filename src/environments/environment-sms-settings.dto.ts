import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// These classes describe the API in the OpenAPI document only. The body is validated by the
// library's `parseEnvironmentSmsSettings`, which applies the per-type rules of the settings.

/** One Access URL query parameter. */
export class SmsQueryParameterDto {
  /** The query parameter's name. */
  @ApiProperty({ example: 'recipient' })
  name: string;

  /** A fixed value, or one with `{phone}`, `{message}` or `{fromName}`; may be empty. */
  @ApiProperty({ example: '{phone}' })
  value: string;
}

/** One provider of an environment's SMS settings: the primary, or its fallback. */
export class EnvironmentProviderSettingsDto {
  /** The provider. */
  @ApiProperty({
    example: 'GatewayApi',
    description:
      'AccessUrl, GatewayApi, Smstools, TeliaSmsGateway or a registered custom type.',
  })
  type: string;

  /** The sender name. */
  @ApiProperty({ example: 'Acme', maxLength: 100 })
  fromName: string;

  /** The provider's HTTPS endpoint. */
  @ApiProperty({ example: 'https://gatewayapi.eu/rest/mtsms', maxLength: 500 })
  apiUrl: string;

  /** Access URL only: the query parameters, in order. */
  @ApiPropertyOptional({ type: [SmsQueryParameterDto] })
  parameters?: SmsQueryParameterDto[];

  /** Smstools: the client id. Telia: the sender address. */
  @ApiPropertyOptional({ maxLength: 300 })
  clientId?: string;

  /** Gateway API: the token. Smstools: the client secret. Telia: the API key. Never shown again. */
  @ApiPropertyOptional({ maxLength: 300, writeOnly: true })
  clientSecret?: string;

  /** Gateway API only. */
  @ApiPropertyOptional({ maxLength: 100 })
  label?: string;

  /** Telia only: the PEM client certificate for mutual TLS. */
  @ApiPropertyOptional()
  certificatePemCrt?: string;

  /** Telia only: the certificate's unencrypted PEM private key. Never shown again. */
  @ApiPropertyOptional({ writeOnly: true })
  certificatePemKey?: string;
}

/** An environment's SMS settings, as sent to `PUT /environments/{environment}/sms`. */
export class EnvironmentSmsSettingsDto extends EnvironmentProviderSettingsDto {
  /** The fallback provider: the same fields and rules, no fallback of its own. */
  @ApiPropertyOptional({
    type: EnvironmentProviderSettingsDto,
    description:
      'The fallback provider, used only when this one certainly did not send the message: the same fields and rules, and no fallback of its own.',
  })
  fallback?: EnvironmentProviderSettingsDto;
}

/** An Access URL parameter as shown: its value only when it holds a placeholder. */
export class MaskedSmsQueryParameterDto {
  /** The query parameter's name. */
  @ApiProperty({ example: 'password' })
  name: string;

  /**
   * The value, when it contains a placeholder, with the fixed text beside it shown as
   * `[redacted]`; fixed values are hidden. Sent back as shown, it keeps the stored value.
   */
  @ApiPropertyOptional({ example: '{phone}' })
  value?: string;

  /** Whether the parameter has a non-empty value. */
  @ApiProperty({ example: true })
  hasValue: boolean;
}

/** A client certificate's description: no key material. */
export class SmsCertificateInfoDto {
  /** The subject distinguished name. */
  @ApiProperty({ example: 'CN=acme-sms' })
  subject: string;

  /** The issuer distinguished name. */
  @ApiProperty({ example: 'CN=Telia Client CA' })
  issuer: string;

  /** Start of the validity period (ISO 8601). */
  @ApiProperty({ format: 'date-time' })
  validFrom: string;

  /** End of the validity period (ISO 8601). */
  @ApiProperty({ format: 'date-time' })
  validTo: string;

  /** SHA-256 fingerprint, colon-separated hex pairs. */
  @ApiProperty({ example: 'AB:CD:...' })
  fingerprintSha256: string;
}

/** One provider of an environment's SMS settings as the API shows them: secrets are flags. */
export class MaskedProviderSettingsDto {
  /** The provider. */
  @ApiProperty({ example: 'GatewayApi' })
  type: string;

  /** The sender name. */
  @ApiProperty({ example: 'Acme' })
  fromName: string;

  /**
   * The provider's HTTPS endpoint; a query string shows as `?[redacted]`. Sent back as shown, it
   * keeps the stored URL.
   */
  @ApiProperty({ example: 'https://gatewayapi.eu/rest/mtsms' })
  apiUrl: string;

  /** Access URL: the query parameters, in order, fixed values hidden. */
  @ApiPropertyOptional({ type: [MaskedSmsQueryParameterDto] })
  parameters?: MaskedSmsQueryParameterDto[];

  /** Smstools: the client id. Telia: the sender address. */
  @ApiPropertyOptional()
  clientId?: string;

  /** Whether a client secret is set. */
  @ApiProperty({ example: true })
  hasClientSecret: boolean;

  /** Gateway API: the label. */
  @ApiPropertyOptional()
  label?: string;

  /** Whether a client certificate private key is set. */
  @ApiProperty({ example: false })
  hasCertificatePemKey: boolean;

  /** Telia: the client certificate. */
  @ApiPropertyOptional({ type: SmsCertificateInfoDto })
  certificate?: SmsCertificateInfoDto;
}

/** An environment's SMS settings as the API shows them: secrets are replaced by flags. */
export class MaskedSmsSettingsDto extends MaskedProviderSettingsDto {
  /** The fallback provider, masked the same way; absent when there is none. */
  @ApiPropertyOptional({
    type: MaskedProviderSettingsDto,
    description:
      'The fallback provider, masked the same way; absent when there is none.',
  })
  fallback?: MaskedProviderSettingsDto;
}
