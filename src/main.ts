import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import type { RunningSandbox } from '../sandbox/server/sandbox.server.js';
import { createApplication } from './app.factory.js';
import { ServiceConfigError } from './config/service-config.error.js';
import type { ServiceConfig } from './config/service-config.interface.js';
import { loadServiceConfig } from './config/service-config.loader.js';
import { startConfiguredSandbox } from './sandbox/configured-sandbox.starter.js';
import { SandboxPortInUseError } from './sandbox/sandbox-port-in-use.error.js';

const logger = new Logger('NestSms');

/**
 * Starts the service: loads and checks the configuration (a bad one stops here, before any port is
 * opened), starts the sandbox provider when enabled, then the application, and prints how to use it.
 */
async function bootstrap(): Promise<void> {
  const { config, listen } = loadServiceConfig();
  const sandbox = config.sandbox.enabled
    ? await startConfiguredSandbox(config)
    : undefined;
  const app = await createApplication(trustingSandbox(config, sandbox));
  // Shutdown lets test sends in flight finish, then closes the provider connections and the store.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  if (listen.host) await app.listen(listen.port, listen.host);
  else await app.listen(listen.port);

  const port = (app.getHttpServer().address() as AddressInfo).port;
  process.stdout.write(
    banner(config, `http://${displayHost(listen.host)}:${port}`, sandbox),
  );
  if (config.api.keyGenerated) {
    logger.warn(
      'Settings:Api:Keys is not set: the API key printed above was generated for this run only. Configure your own keys to keep one across restarts.',
    );
  }
}

/** The sandbox's CA becomes the extra trusted CA, unless one is configured. */
function trustingSandbox(
  config: ServiceConfig,
  sandbox?: RunningSandbox,
): ServiceConfig {
  if (!sandbox || config.http.extraCaCertificatesFile) return config;
  return {
    ...config,
    http: {
      ...config.http,
      extraCaCertificatesFile: sandbox.caCertificateFile,
    },
  };
}

function displayHost(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

function banner(
  config: ServiceConfig,
  serviceUrl: string,
  sandbox?: RunningSandbox,
): string {
  const key = config.api.keyGenerated ? config.api.keys[0].key : '$API_KEY';
  const lines = [
    '',
    `nest-sms is running at ${serviceUrl}`,
    `  OpenAPI:       ${serviceUrl}/docs`,
    ...(sandbox ? [`  Sandbox inbox: ${sandbox.inboxUrl}`] : []),
    config.api.keyGenerated
      ? `  API key:       ${key}   (generated for this run)`
      : '  API key:       one of Settings:Api:Keys (configured; not shown)',
    '',
    'Send a test SMS:',
    `  curl -X POST ${serviceUrl}/sms/test -H "Authorization: Bearer ${key}" -H "Content-Type: application/json" -d '{"phone":"+4512345678","message":"Hello from nest-sms"}'`,
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * What stops start-up, for standard error: a configuration error lists every bad key, a taken
 * sandbox port names the settings to change, anything else is reported with its stack.
 */
function startUpFailure(error: unknown): string {
  if (error instanceof ServiceConfigError) return error.message;
  if (error instanceof SandboxPortInUseError) {
    return `nest-sms could not start: ${error.message}`;
  }
  return `nest-sms could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`${startUpFailure(error)}\n`);
  process.exit(1);
});
