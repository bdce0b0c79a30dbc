import { Agent, request } from 'node:http';

/** An answer of the service: status and body text. */
export interface JsonAnswer {
  status: number;
  body: string;
}

/**
 * Sends JSON requests to the service over kept-alive HTTP connections, as a login front end
 * calling it would.
 */
export class HttpJsonClient {
  private readonly agent = new Agent({ keepAlive: true, scheduling: 'lifo' });
  private readonly origin: URL;

  /**
   * @param baseUrl the service, `http://127.0.0.1:<port>`
   * @param apiKey sent as `Authorization: Bearer <key>`
   */
  constructor(
    baseUrl: string,
    private readonly apiKey: string,
  ) {
    this.origin = new URL(baseUrl);
  }

  /** Sends one request with a JSON body and reads the whole answer. */
  send(method: string, path: string, body: unknown): Promise<JsonAnswer> {
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: this.origin.hostname,
          port: this.origin.port,
          method,
          path,
          agent: this.agent,
          headers: {
            Authorization: `Bearer ${this.apiKey}`,
            'Content-Type': 'application/json',
            'Content-Length': payload.length,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}
