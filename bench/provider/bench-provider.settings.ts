import type { SiteSmsSettings, SmsSettings } from '@app/sms';
import type { PemCertificate } from '../../sandbox/certificates.js';
import {
  BENCH_PROVIDER_ROUTES,
  type BenchProviderType,
} from './bench-provider.protocol.js';

/** Where the benchmark's provider server listens. */
export interface BenchProviderOrigins {
  /** Access URL, Gateway API and Smstools. */
  openUrl: string;
  /** Telia (mutual TLS). */
  mutualUrl: string;
}

/**
 * Settings of the given provider type that point at the benchmark's server, in the camelCase shape
 * of an environment's settings. `variant` makes the secrets of one tenant differ from another's.
 */
export function benchSettings(
  type: BenchProviderType,
  origins: BenchProviderOrigins,
  clientCertificate: PemCertificate,
  variant = 0,
): SmsSettings {
  const apiUrl = `${type === 'TeliaSmsGateway' ? origins.mutualUrl : origins.openUrl}${BENCH_PROVIDER_ROUTES[type]}`;
  const secret = `bench-secret-${type}-${String(variant).padStart(6, '0')}`;
  switch (type) {
    case 'AccessUrl':
      return {
        type,
        fromName: 'Acme',
        apiUrl,
        parameters: [
          { name: 'username', value: 'acme-login' },
          { name: 'password', value: secret },
          { name: 'recipient', value: '{phone}' },
          { name: 'from', value: '{fromName}' },
          { name: 'message', value: '{message}' },
        ],
      };
    case 'GatewayApi':
      return {
        type,
        fromName: 'Acme',
        apiUrl,
        clientSecret: secret,
        label: 'login',
      };
    case 'Smstools':
      return {
        type,
        fromName: 'Acme',
        apiUrl,
        clientId: 'acme-client',
        clientSecret: secret,
      };
    case 'TeliaSmsGateway':
      return {
        type,
        fromName: 'Acme',
        apiUrl,
        clientId: '12345',
        clientSecret: secret,
        certificatePemCrt: clientCertificate.certificatePem,
        certificatePemKey: clientCertificate.privateKeyPem,
      };
  }
}

/** The same settings in the site's shape (`Settings:Sms`, PascalCase keys). */
export function toSiteSettings(settings: SmsSettings): SiteSmsSettings {
  return {
    Type: settings.type,
    FromName: settings.fromName,
    ApiUrl: settings.apiUrl,
    ...(settings.parameters && {
      Parameters: settings.parameters.map(({ name, value }) => ({
        Name: name,
        Value: value,
      })),
    }),
    ...(settings.clientId !== undefined && { ClientId: settings.clientId }),
    ...(settings.clientSecret !== undefined && {
      ClientSecret: settings.clientSecret,
    }),
    ...(settings.label !== undefined && { Label: settings.label }),
    ...(settings.certificatePemCrt !== undefined && {
      CertificatePemCrt: settings.certificatePemCrt,
    }),
    ...(settings.certificatePemKey !== undefined && {
      CertificatePemKey: settings.certificatePemKey,
    }),
  };
}
