import {
  startSandbox,
  type RunningSandbox,
} from '../../sandbox/server/sandbox.server.js';
import type { ServiceConfig } from '../config/service-config.interface.js';
import { SandboxPortInUseError } from './sandbox-port-in-use.error.js';

/**
 * Starts the sandbox that `Settings:Sandbox` describes.
 *
 * @throws SandboxPortInUseError when its port is taken, naming the settings to change.
 */
export async function startConfiguredSandbox(
  config: ServiceConfig,
): Promise<RunningSandbox> {
  const { host, port, dataDir } = config.sandbox;
  try {
    return await startSandbox({ host, port, dataDir });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new SandboxPortInUseError({ host, port }, config.sms?.ApiUrl, {
      cause: error,
    });
  }
}
