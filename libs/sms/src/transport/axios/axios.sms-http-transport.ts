import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import type { AxiosRequestConfig, RawAxiosRequestHeaders } from 'axios';
import { isAxiosError } from 'axios';
import { AxiosExchange } from './axios-exchange.js';
import {
  createNodeHttpsAgent,
  type FollowedHttpsAgent,
} from './node-https-agent.factory.js';
import type { SmsHttpRequest } from '../../providers/sms-provider.interface.js';
import type { SmsModuleOptions } from '../../sms-module-options.interface.js';
import { SMS_MODULE_OPTIONS } from '../../sms.module-definition.js';
import {
  AgentPoolTransport,
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
    const exchange = new AxiosExchange(job);
    this.http
      .request<IncomingMessage>(requestConfigOf(job, exchange))
      .subscribe({
        next: (response) => exchange.read(response.data),
        error: (error: unknown) => exchange.fail(lowLevelCause(error)),
      });
    return exchange.ended;
  }
}

/**
 * The request as axios sends it, on the job's agent, through a Node `https.request` that the
 * exchange follows.
 */
function requestConfigOf(
  job: ExchangeJob<FollowedHttpsAgent>,
  exchange: AxiosExchange,
): AxiosRequestConfig {
  return {
    url: job.target.href,
    method: job.request.method,
    headers: headersOf(job.request),
    data:
      job.request.body === undefined
        ? undefined
        : Buffer.from(job.request.body, 'utf8'),
    httpsAgent: job.agent,
    // Said again here: HttpService cancels a request when its observable completes, unless the
    // request's own config asks for a stream.
    responseType: 'stream',
    transport: {
      request: (
        options: RequestOptions,
        callback: (response: IncomingMessage) => void,
      ): ClientRequest => {
        const request = httpsRequest(options, callback);
        exchange.follow(request);
        return request;
      },
    },
  };
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

/** The socket's or TLS error under axios's wrapping, which the classifier reads. */
function lowLevelCause(error: unknown): unknown {
  return isAxiosError(error) && error.cause !== undefined ? error.cause : error;
}
