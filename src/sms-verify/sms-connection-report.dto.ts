import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  SmsSettingsOrigin,
  SmsConnectionReport,
  SmsConnectionStep,
  SmsConnectionStepName,
} from '@app/sms';
import { SmsCertificateInfoDto } from '../environments/environment-sms-settings.dto.js';

const STEP_NAMES: SmsConnectionStepName[] = [
  'dns',
  'tcp',
  'tls',
  'serverCertificate',
  'clientCertificate',
];

/** One step of a connection check. */
export class SmsConnectionStepDto implements SmsConnectionStep {
  /** The step. */
  @ApiProperty({ enum: STEP_NAMES, example: 'tls' })
  name: SmsConnectionStepName;

  /** `skipped` when an earlier step failed or the step does not apply to the provider. */
  @ApiProperty({ enum: ['ok', 'failed', 'skipped'], example: 'ok' })
  result: 'ok' | 'failed' | 'skipped';

  /** How long the step took, in milliseconds; 0 when skipped. */
  @ApiProperty({ type: 'integer', example: 12 })
  durationMs: number;

  /** What the step found, or why it failed. */
  @ApiProperty({
    example:
      'TLSv1.3 with TLS_AES_256_GCM_SHA384. The server asked for the client certificate and completed the handshake with it.',
  })
  detail: string;

  /** `dns`: the addresses the host resolved to; `tcp`: the address connected to. */
  @ApiPropertyOptional({ type: [String], example: ['203.0.113.10'] })
  addresses?: string[];

  /** `tls`: the protocol agreed. */
  @ApiPropertyOptional({ example: 'TLSv1.3' })
  protocol?: string;

  /** `serverCertificate` and `clientCertificate`: the certificate checked. */
  @ApiPropertyOptional({ type: SmsCertificateInfoDto })
  certificate?: SmsCertificateInfoDto;
}

/** The connection check of one provider. No SMS and no HTTP request was sent. */
export class SmsProviderConnectionReportDto implements SmsConnectionReport {
  /** True when no step failed. */
  @ApiProperty({ example: true })
  ok: boolean;

  /** The provider type of the settings checked. */
  @ApiProperty({ example: 'TeliaSmsGateway' })
  provider: string;

  /** Whether the environment's own settings or the site's were checked. */
  @ApiProperty({ enum: ['site', 'environment'], example: 'environment' })
  source: SmsSettingsOrigin;

  /** The environment; null for the site settings. */
  @ApiProperty({ type: 'string', nullable: true, example: 'tenant-a' })
  environment: string | null;

  /** The provider's host and port. */
  @ApiProperty({ example: 'smsgw.teliamobile.dk:12123' })
  target: string;

  /** Every step, in the order they ran: dns, tcp, tls, serverCertificate, clientCertificate. */
  @ApiProperty({ type: [SmsConnectionStepDto] })
  steps: SmsConnectionStepDto[];

  /** How long the whole check took, in milliseconds. */
  @ApiProperty({ type: 'integer', example: 48 })
  durationMs: number;
}

/** The outcome of a connection check: the primary's, and the fallback's when there is one. */
export class SmsConnectionReportDto extends SmsProviderConnectionReportDto {
  /** The same check of the fallback provider; absent when the settings have none. */
  @ApiPropertyOptional({
    type: SmsProviderConnectionReportDto,
    description:
      "The same check of the settings' fallback provider, run at the same time; absent when they have none. ok above speaks of the primary only.",
  })
  fallback?: SmsProviderConnectionReportDto;
}
