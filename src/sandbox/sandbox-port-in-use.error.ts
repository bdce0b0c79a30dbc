import type { SandboxConfig } from '../config/service-config.interface.js';

/**
 * The sandbox's port is taken. Names the settings to change: `Settings:Sandbox:Port`, and
 * `Settings:Sms:ApiUrl`, which follows the sandbox's port when it points at the sandbox.
 */
export class SandboxPortInUseError extends Error {
  /**
   * @param sandbox Where the sandbox tried to listen.
   * @param siteApiUrl `Settings:Sms:ApiUrl`, if set; only its host and port are read, never shown.
   * @param options.cause The listen error.
   */
  constructor(
    sandbox: Pick<SandboxConfig, 'host' | 'port'>,
    siteApiUrl: unknown,
    options?: { cause?: unknown },
  ) {
    const { host, port } = sandbox;
    const address = host.includes(':')
      ? `[${host}]:${port}`
      : `${host}:${port}`;
    super(
      [
        `the sandbox cannot listen on ${address}, another process uses that port.`,
        `- Settings:Sandbox:Port: set a free port (e.g. Settings__Sandbox__Port=${port + 1}), or stop the other process.`,
        pointsAtPort(siteApiUrl, port)
          ? `- Settings:Sms:ApiUrl: points at the sandbox's port ${port}; give it the new port too.`
          : '- Settings:Sms:ApiUrl: give it the new port too if it points at the sandbox.',
      ].join('\n'),
      options,
    );
    this.name = new.target.name;
  }
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

function pointsAtPort(apiUrl: unknown, port: number): boolean {
  const url = typeof apiUrl === 'string' ? URL.parse(apiUrl) : null;
  if (!url || !LOOPBACK_NAMES.has(url.hostname)) return false;
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80)) === port;
}
