import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import type { AxiosRequestConfig, RawAxiosRequestHeaders } from 'axios';
import { isAxiosError } from 'axios';
import { ExchangeProgress } from '../exchange-progress.js';

import {
  connectionOfSocket,
  type ProviderConnection,
} from '../provider-connection.tracker.js';
import {
  createNodeHttpsAgent,
  type FollowedHttpsAgent,
} from './node-https-agent.factory.js';
import type { SmsHttpRequest } from '../../providers/sms-provider.interface.js';
import type { SmsModuleOptions } from '../../sms-module-options.interface.js';
import { SMS_MODULE_OPTIONS } from '../../sms.module-definition.js';
import {
  AgentPoolTransport,
  ExchangeFailure,
  type ExchangeEnd,
  type ExchangeJob,
} from '../sms-http.transport.js';

/**
 * The configuration of the library's own, private `HttpModule`: no redirect followed, no proxy
 * (from the environment or otherwise), no decompression, every status an answer, the body handed
 * over as the stream it arrives as (the transport reads it, up to its size limit) and sent as
 * given.
 */
export const SMS_AXIOS_CONFIG: AxiosRequestConfig = {
  maxRedirects: 0,
  proxy: false,
  decompress: false,
  responseType: 'stream',
  validateStatus: null,
  timeout: 0,
  maxContentLength: -1,
  maxBodyLength: -1,
  transformRequest: [(data: unknown) => data],
  transformResponse: [(data: unknown) => data],
};

// Headers axios adds by itself; `false` keeps them off the request unless the strategy set them.
const AXIOS_DEFAULT_HEADERS = ['Accept', 'User-Agent', 'Accept-Encoding'];

/**
 * The default transport, on `@nestjs/axios`: every request goes through the library's
 * `HttpService`, carried by Node `https.Agent`s (one keep-alive agent for requests without a
 * client certificate, one per Telia client certificate). The address policy sits in the agents'
 * `lookup`, the timeout covers the whole exchange, the answer is read up to the size limit, and
 * each socket the agents open is followed so that a failure says whether the request may have
 * reached the provider.
 */
@Injectable()
export class AxiosSmsHttpTransport extends AgentPoolTransport<FollowedHttpsAgent> {
  readonly kind = 'axios' as const;

  constructor(
    @Inject(SMS_MODULE_OPTIONS) options: SmsModuleOptions,
    private readonly http: HttpService,
  ) {
    super(options, createNodeHttpsAgent);
  }

  /** Sends the request through `HttpService` and reads the answer, within the timeout. */
  protected exchange(
    job: ExchangeJob<FollowedHttpsAgent>,
  ): Promise<ExchangeEnd> {
    return new Promise<ExchangeEnd>((resolve, reject) => {
      const progress = new ExchangeProgress();
      let outgoing: ClientRequest | undefined;
      let connection: ProviderConnection | undefined;
      let answer: IncomingMessage | undefined;
      let settled = false;
      let expired = false;

      const settle = (done: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        done();
      };
      const fail = (error: unknown): void =>
        settle(() => {
          if (connection) {
            progress.connected ||= connection.connected;
            progress.secured ||= connection.secured;
            progress.tls13 = connection.tls13;
            progress.ticketReceived = connection.ticketReceived;
          }
          reject(new ExchangeFailure(error, progress, expired));
        });
      const stop = (end: ExchangeEnd): void =>
        settle(() => {
          // The rest of the answer is not read: its connection is closed.
          answer?.destroy();
          resolve(end);
        });

      const timer = setTimeout(() => {
        if (settled) return;
        expired = true;
        fail(new Error(`No answer within ${job.timeoutMs} ms.`));
        // Closes the connection; axios then rejects, after the exchange has settled.
        outgoing?.destroy();
        answer?.destroy();
      }, job.timeoutMs);

      // Follows the request axios makes: the socket it gets, its last byte written, its answer.
      const follow = (request: ClientRequest): void => {
        outgoing = request;
        if (settled) {
          request.destroy();
          return;
        }
        request.once('socket', (socket) => {
          connection = connectionOfSocket(socket);
          if (connection) connection.exchanges += 1;
          progress.reused = request.reusedSocket;
          if (progress.reused) progress.connected = progress.secured = true;
        });
        request.once('finish', () => (progress.written = true));
        request.once('response', (response: IncomingMessage) => {
          progress.answered = true;
          answer = response;
        });
      };

      this.http
        .request<IncomingMessage>({
          url: job.target.href,
          method: job.request.method,
          headers: headersOf(job.request),
          data:
            job.request.body === undefined
              ? undefined
              : Buffer.from(job.request.body, 'utf8'),
          httpsAgent: job.agent,
          // Said again here: HttpService cancels a request when its observable completes, unless
          // the request's own config asks for a stream.
          responseType: 'stream',
          transport: {
            request: (
              options: RequestOptions,
              callback: (response: IncomingMessage) => void,
            ): ClientRequest => {
              const request = httpsRequest(options, callback);
              follow(request);
              return request;
            },
          },
        })
        .subscribe({
          next: (response) =>
            this.read(response.data, job.maxResponseBytes, {
              stop,
              fail,
              end: (end) =>
                // Node hands a kept-alive socket back to its agent's pool once the answer has
                // ended; settling a turn later lets the caller's next send take it instead of
                // opening another: at most one connection per send in flight.
                setImmediate(() => settle(() => resolve(end))),
            }),
          error: (error: unknown) => fail(lowLevelCause(error)),
        });
    });
  }

  /** Reads an answer up to the size limit; a redirect is not read at all. */
  private read(
    response: IncomingMessage,
    maxResponseBytes: number,
    on: {
      stop(end: ExchangeEnd): void;
      fail(error: unknown): void;
      end(end: ExchangeEnd): void;
    },
  ): void {
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400) {
      on.stop({ kind: 'redirect', status });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxResponseBytes) {
        on.stop({ kind: 'too-large', status });
        return;
      }
      chunks.push(chunk);
    });
    response.once('end', () =>
      on.end({
        kind: 'answer',
        status,
        headers: headersOfAnswer(response.rawHeaders),
        body: Buffer.concat(chunks, size),
      }),
    );
    response.once('error', (error) => on.fail(error));
    response.once('close', () => {
      if (!response.complete) {
        on.fail(
          Object.assign(
            new Error('The connection closed before the answer was complete.'),
            {
              code: 'ECONNRESET',
            },
          ),
        );
      }
    });
  }
}

/**
 * The request's headers as the strategy built them, and nothing of axios's own: no `Accept`,
 * `User-Agent` or `Accept-Encoding` the strategy did not set. Node writes the body's own length.
 */
function headersOf(request: SmsHttpRequest): RawAxiosRequestHeaders {
  const headers: Record<string, string | false> = {};
  const given = new Set(
    Object.keys(request.headers).map((name) => name.toLowerCase()),
  );
  for (const name of AXIOS_DEFAULT_HEADERS) {
    if (!given.has(name.toLowerCase())) headers[name] = false;
  }
  for (const [name, value] of Object.entries(request.headers)) {
    if (request.body !== undefined && name.toLowerCase() === 'content-length') {
      continue;
    }
    headers[name] = value;
  }
  return headers as RawAxiosRequestHeaders;
}

/** The answer's headers by lower-case name; a repeated header becomes a list. */
function headersOfAnswer(
  raw: string[],
): Record<string, string | string[] | undefined> {
  const headers: Record<string, string | string[] | undefined> = {};
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index].toLowerCase();
    const value = raw[index + 1];
    const known = headers[name];
    headers[name] =
      known === undefined
        ? value
        : Array.isArray(known)
          ? [...known, value]
          : [known, value];
  }
  return headers;
}

/** The socket's or TLS error under axios's wrapping, which the classifier reads. */
function lowLevelCause(error: unknown): unknown {
  return isAxiosError(error) && error.cause !== undefined ? error.cause : error;
}
