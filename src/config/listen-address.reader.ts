import type { ServiceConfigProblem } from './service-config.error.js';

/** The default port of the service. */
export const DEFAULT_PORT = 3000;

/** Where the service listens: `HOST` and `PORT`. */
export interface ListenAddress {
  /** The interface to listen on; undefined listens on every interface. */
  host?: string;
  /** The port; 0 picks a free one. @default 3000 */
  port: number;
}

/** Reads `HOST` and `PORT`. */
export function readListenAddress(env: NodeJS.ProcessEnv): {
  listen: ListenAddress;
  problems: ServiceConfigProblem[];
} {
  const problems: ServiceConfigProblem[] = [];
  const host = env.HOST?.trim() || undefined;
  const portText = env.PORT?.trim();
  let port = DEFAULT_PORT;
  if (portText) {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535) {
      problems.push({
        key: 'PORT',
        message: 'PORT must be a whole number from 0 to 65535.',
      });
      port = DEFAULT_PORT;
    }
  }
  return { listen: { host, port }, problems };
}
