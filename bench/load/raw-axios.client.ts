import type { Agent } from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import type { ReplayedRequest } from './raw-https.client.js';

/**
 * A plain axios client, as an application would write one: its own instance over the given keep-alive
 * agent, no redirects, the answer read as bytes. Whatever axios adds (its `Accept`, `User-Agent` and
 * `Accept-Encoding`) it adds.
 */
export function createRawAxios(agent: Agent): AxiosInstance {
  return axios.create({
    httpsAgent: agent,
    maxRedirects: 0,
    proxy: false,
    responseType: 'arraybuffer',
  });
}

/**
 * Sends the replayed request through `client` and reads the whole answer.
 *
 * @throws Error when the status is not 2xx or the exchange fails
 */
export async function sendRawAxios(
  client: AxiosInstance,
  origin: string,
  replayed: ReplayedRequest,
): Promise<Buffer> {
  const headers: Record<string, string> = {};
  for (let index = 0; index < replayed.rawHeaders.length; index += 2) {
    const name = replayed.rawHeaders[index];
    if (name.toLowerCase() === 'host') continue;
    headers[name] = replayed.rawHeaders[index + 1];
  }
  const response = await client.request<Buffer>({
    url: `${origin}${replayed.url}`,
    method: replayed.method,
    headers,
    data: replayed.body.length > 0 ? replayed.body : undefined,
  });
  return response.data;
}
