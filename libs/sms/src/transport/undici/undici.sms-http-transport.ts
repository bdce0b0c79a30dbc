import { Inject, Injectable } from '@nestjs/common';
import type { Agent, Dispatcher } from 'undici';
import { createUndiciHttpsAgent } from './undici-https-agent.factory.js';
import type { SmsHttpRequest } from '../../providers/sms-provider.interface.js';
import type { SmsModuleOptions } from '../../sms-module-options.interface.js';
import { SMS_MODULE_OPTIONS } from '../../sms.module-definition.js';
import { ProviderExchange } from './provider-exchange.handler.js';
import {
  AgentPoolTransport,
  ExchangeFailure,
  type ExchangeEnd,
  type ExchangeJob,
} from '../sms-http.transport.js';

/**
 * The transport on undici (Node's own HTTP client, the one behind `fetch`), chosen with
 * `transport: 'undici'`: the least CPU per send. Its agents are undici `Agent`s; each request is
 * dispatched with a {@link ProviderExchange} handler that follows its progress and reads its answer.
 */
@Injectable()
export class UndiciSmsHttpTransport extends AgentPoolTransport<Agent> {
  readonly kind = 'undici' as const;

  constructor(@Inject(SMS_MODULE_OPTIONS) options: SmsModuleOptions) {
    super(options, createUndiciHttpsAgent);
  }

  /** Dispatches the request and waits for the end of the exchange, within its timeout. */
  protected async exchange(job: ExchangeJob<Agent>): Promise<ExchangeEnd> {
    const exchange = new ProviderExchange(job.maxResponseBytes);
    const timer = setTimeout(
      () => exchange.expire(job.timeoutMs),
      job.timeoutMs,
    );
    try {
      job.agent.dispatch(dispatchOptionsOf(job.target, job.request), exchange);
      return await exchange.ended;
    } catch (error) {
      throw new ExchangeFailure(error, exchange.progress, exchange.expired);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The request as undici sends it: only the headers the provider strategy built, the body's length
 * and the host. Headers go as a flat list of names and values, written as given.
 */
function dispatchOptionsOf(
  target: URL,
  request: SmsHttpRequest,
): Dispatcher.DispatchOptions {
  const body =
    request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  const headers: string[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    // undici writes the body's own length.
    if (body && name.toLowerCase() === 'content-length') continue;
    headers.push(name, value);
  }
  return {
    origin: target.origin,
    path: `${target.pathname}${target.search}`,
    method: request.method,
    headers,
    body,
  };
}
