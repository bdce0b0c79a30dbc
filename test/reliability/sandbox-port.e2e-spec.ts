import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  runServiceFromSources,
  type RunningCommand,
} from '../support/service-process.js';

const DEMO_SETTINGS = fileURLToPath(
  new URL('../../appsettings.json', import.meta.url),
);

/** A TCP server on a free loopback port, standing for whatever else holds the sandbox's port. */
async function occupyPort(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolveListen) =>
    server.listen(0, '127.0.0.1', resolveListen),
  );
  return server;
}

/**
 * The demo settings (`appsettings.json`, the sandbox enabled) when the sandbox's port is taken:
 * start-up stops with a message that says which settings to change, not a bare EADDRINUSE.
 */
describe('the service when the sandbox port is taken', () => {
  let dir: string;
  let occupied: Server;
  let service: RunningCommand | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nest-sms-sandbox-port-'));
    await copyFile(DEMO_SETTINGS, join(dir, 'appsettings.json'));
    occupied = await occupyPort();
  });
  afterAll(async () => {
    service?.signal('SIGKILL');
    await new Promise((closed) => occupied?.close(closed));
    await rm(dir, { recursive: true, force: true });
  });

  it('exits non-zero naming Settings:Sandbox:Port and Settings:Sms:ApiUrl, without a stack', async () => {
    const port = (occupied.address() as AddressInfo).port;
    service = runServiceFromSources({
      cwd: dir,
      env: {
        HOST: '127.0.0.1',
        PORT: '0',
        Settings__Sandbox__Port: String(port),
        Settings__Sms__ApiUrl: `https://localhost:${port}/gatewayapi/rest/mtsms`,
      },
    });
    const { code } = await service.exited;

    expect(code).toBe(1);
    expect(service.stderr).toContain(
      `nest-sms could not start: the sandbox cannot listen on 127.0.0.1:${port}, another process uses that port.`,
    );
    expect(service.stderr).toContain('- Settings:Sandbox:Port: ');
    expect(service.stderr).toContain(
      `- Settings:Sms:ApiUrl: points at the sandbox's port ${port}; `,
    );
    expect(service.stderr).not.toMatch(/^\s+at /m);
    expect(service.stdout).not.toContain('nest-sms is running');
  });
});
