import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startSandbox,
  type RunningSandbox,
  type SandboxOptions,
} from '../server/sandbox.server.js';

/** A sandbox on a free port with its own temporary data folder, and how to dispose of both. */
export async function startTestSandbox(
  options: Omit<SandboxOptions, 'dataDir'> = {},
): Promise<{
  sandbox: RunningSandbox;
  dataDir: string;
  dispose: () => Promise<void>;
}> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sms-sandbox-'));
  const sandbox = await startSandbox({ ...options, dataDir });
  return {
    sandbox,
    dataDir,
    dispose: async () => {
      await sandbox.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
