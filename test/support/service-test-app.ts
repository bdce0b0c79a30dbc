import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApplication } from '../../src/app.factory.js';
import type { ServiceConfig } from '../../src/config/service-config.interface.js';
import { loadServiceConfig } from '../../src/config/service-config.loader.js';
import { CapturedLogs } from './captured-logs.js';

export { CapturedLogs };

/**
 * The log of every application started in this process: Nest's `Logger` is process-wide, so the
 * last application created would otherwise take the log lines of all of them.
 */
const processLogs = new CapturedLogs();

/** Options of {@link startServiceTestApp}. */
export interface ServiceTestAppOptions {
  /** The content of the settings file; written to a temporary `appsettings.json`. */
  settings?: unknown;
  /** The raw text of the settings file, instead of `settings`. */
  settingsText?: string;
  /** Environment variables the configuration is read from (the process's own are not used). */
  env?: Record<string, string>;
  /** Files to write into the working directory first, by name. */
  files?: Record<string, string>;
  /**
   * The logger, instead of the process's captured log (e.g. the service's own JSON logger);
   * `logs` then stays empty for this application.
   */
  logger?: LoggerService;
}

/** The variable that keeps the store in memory, unless the settings choose a store. */
function inMemoryStoreUnlessGiven(
  options: ServiceTestAppOptions,
): Record<string, string> {
  const settings = (
    options.settings as { Settings?: { Store?: unknown } } | undefined
  )?.Settings;
  return settings?.Store === undefined
    ? { Settings__Store__Url: 'sqlite::memory:' }
    : {};
}

/** A running service on 127.0.0.1 and a free port. */
export interface ServiceTestApp {
  app: NestExpressApplication;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  config: ServiceConfig;
  /** The log lines of every application of this process (see {@link processLogs}). */
  logs: CapturedLogs;
  /** The temporary working directory with the settings file. */
  dir: string;
  /** Closes the application and removes the working directory. */
  close(): Promise<void>;
}

/**
 * Starts the service in this process exactly as `main.ts` builds it, from a settings file in a
 * temporary working directory and the given environment variables. The store, when present, is an
 * in-memory SQLite unless the settings say otherwise.
 */
export async function startServiceTestApp(
  options: ServiceTestAppOptions = {},
): Promise<ServiceTestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'nest-sms-service-'));
  for (const [name, content] of Object.entries(options.files ?? {})) {
    await writeFile(join(dir, name), content);
  }
  if (options.settingsText !== undefined || options.settings !== undefined) {
    await writeFile(
      join(dir, 'appsettings.json'),
      options.settingsText ?? JSON.stringify(options.settings, null, 2),
    );
  }
  const { config } = loadServiceConfig(
    { ...inMemoryStoreUnlessGiven(options), ...options.env },
    dir,
  );
  const app = await createApplication(config, {
    logger: options.logger ?? processLogs,
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    config,
    logs: processLogs,
    dir,
    close: async () => {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
