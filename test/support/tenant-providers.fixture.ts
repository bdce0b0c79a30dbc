import {
  InMemorySmsSettingsSource,
  parseEnvironmentSmsSettings,
  type SmsModuleOptions,
} from '@app/sms';
import { createCertificateAuthority } from '../../sandbox/certificates.js';
import { HttpsTestServer } from './https-test-server.js';

/** The two environments the fixture gives settings of their own. */
export const TENANTS = ['tenant-a', 'tenant-b'] as const;

/** One of {@link TENANTS}, or `site` for the site's own provider. */
export type TenantProvider = (typeof TENANTS)[number] | 'site';

/**
 * Three real HTTPS Gateway API servers on loopback, one CA: the site's provider and one for each of
 * `tenant-a` and `tenant-b`, whose settings sit in an `InMemorySmsSettingsSource`. Which server
 * received a message shows which environment's settings a send used.
 */
export class TenantProviders {
  private constructor(
    private readonly servers: Record<TenantProvider, HttpsTestServer>,
    /** The PEM certificate of the CA that issued the three servers' certificates. */
    readonly caPem: string,
  ) {}

  /** Starts the three servers; each answers a send with 200 after `delayMs`, so sends overlap. */
  static async start(delayMs = 20): Promise<TenantProviders> {
    const authority = await createCertificateAuthority({
      commonName: 'Tenant providers CA',
    });
    const start = () =>
      HttpsTestServer.start({ certificateAuthority: authority });
    const [site, a, b] = await Promise.all([start(), start(), start()]);
    const servers = { site, 'tenant-a': a, 'tenant-b': b };
    for (const server of Object.values(servers))
      server.answer({ status: 200, body: { ids: [1] }, delayMs });
    return new TenantProviders(servers, authority.certificatePem);
  }

  /** Module options that send the site's messages to `site` and each tenant's to its own server. */
  moduleOptions(): SmsModuleOptions {
    const source = new InMemorySmsSettingsSource();
    for (const tenant of TENANTS)
      source.set(
        tenant,
        parseEnvironmentSmsSettings(this.environmentSettings(tenant)),
      );
    return {
      settings: {
        Type: 'GatewayApi',
        FromName: 'Site',
        ApiUrl: this.apiUrl('site'),
        ClientSecret: 'site-token',
      },
      settingsSource: source,
      extraCaCertificates: this.caPem,
      retries: 0,
      timeoutMs: 5000,
    };
  }

  /** The texts of the messages `provider` received, in arrival order. */
  messages(provider: TenantProvider): string[] {
    return this.servers[provider].requests.map(
      (request) =>
        (JSON.parse(request.body.toString('utf8')) as { message: string })
          .message,
    );
  }

  /** Every request the three servers received. */
  get requestCount(): number {
    return Object.values(this.servers).reduce(
      (count, server) => count + server.requests.length,
      0,
    );
  }

  /** Forgets what the servers received. */
  clear(): void {
    for (const server of Object.values(this.servers))
      server.requests.length = 0;
  }

  /** Stops the servers. */
  async close(): Promise<void> {
    await Promise.all(Object.values(this.servers).map((s) => s.close()));
  }

  /** The Gateway API endpoint of `provider`'s server. */
  apiUrl(provider: TenantProvider): string {
    return `${this.servers[provider].url}/rest/mtsms`;
  }

  /** A tenant's own settings, as the admin API and `parseEnvironmentSmsSettings` take them. */
  environmentSettings(tenant: (typeof TENANTS)[number]) {
    return {
      type: 'GatewayApi',
      fromName: tenant,
      apiUrl: this.apiUrl(tenant),
      clientSecret: `${tenant}-token`,
    };
  }

  /** TLS connections `provider`'s server accepted so far. */
  tlsConnections(provider: TenantProvider): number {
    return this.servers[provider].tlsConnections;
  }
}
