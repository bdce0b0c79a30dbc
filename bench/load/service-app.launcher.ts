import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { SiteSmsSettings } from '@app/sms';
import { createApplication } from '../../src/app.factory.js';
import { loadServiceConfig } from '../../src/config/service-config.loader.js';

/** The most test sends the configuration accepts per window: the limits stay out of the way. */
const RAISED_TEST_SEND_LIMIT = 1_000_000;

/**
 * The window of the raised limits, in seconds. The in-memory throttler keeps a timestamp per hit in
 * the window and scans them on every hit; under the default limits (100 per key) that is at most
 * about 100 entries, so the window is kept short for the raised limits to stay as cheap.
 */
const RAISED_TEST_SEND_WINDOW_SECONDS = 1;

/** The service, running in this process on 127.0.0.1 and a free port. */
export interface BenchServiceApp {
  app: NestExpressApplication;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** A key the API accepts. */
  apiKey: string;
  /** Closes the application and removes its working directory. */
  close(): Promise<void>;
}

/** Options of {@link startBenchServiceApp}. */
export interface BenchServiceAppOptions {
  /** `Settings:Sms`. */
  site: SiteSmsSettings;
  /** PEM of the provider server's CA, trusted through `Settings:Http:ExtraCaCertificatesFile`. */
  caPem: string;
  logger: LoggerService;
}

/**
 * Starts the service as `main.ts` builds it, from a settings file in a temporary directory: the
 * given site provider, environments in an in-memory SQLite store, private network URLs allowed (the
 * provider server is on loopback) and the test-send limits raised out of the way (a million per
 * second).
 */
export async function startBenchServiceApp(
  options: BenchServiceAppOptions,
): Promise<BenchServiceApp> {
  const dir = await mkdtemp(join(tmpdir(), 'nest-sms-bench-'));
  const apiKey = `bench-${randomBytes(16).toString('hex')}`;
  const caFile = join(dir, 'provider-ca.pem');
  await writeFile(caFile, options.caPem);
  const settingsFile = join(dir, 'appsettings.json');
  await writeFile(
    settingsFile,
    JSON.stringify({
      Settings: {
        Sms: options.site,
        Api: {
          Keys: [apiKey],
          TestSendLimitPerPhone: RAISED_TEST_SEND_LIMIT,
          TestSendLimitPerKey: RAISED_TEST_SEND_LIMIT,
          TestSendWindowSeconds: RAISED_TEST_SEND_WINDOW_SECONDS,
        },
        Store: { Url: 'sqlite::memory:' },
        Security: {
          EncryptionKey: randomBytes(32).toString('base64'),
          AllowPrivateNetworkUrls: true,
        },
        Http: { ExtraCaCertificatesFile: caFile },
        // As a production service runs: every send counted into /metrics.
        Metrics: { Enabled: true },
      },
    }),
  );
  const { config } = loadServiceConfig({ SETTINGS_FILE: settingsFile }, dir);
  const app = await createApplication(config, { logger: options.logger });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    apiKey,
    close: async () => {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
