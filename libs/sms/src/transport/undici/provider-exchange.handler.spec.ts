import { EventEmitter } from 'node:events';
import type { buildConnector } from 'undici';
import {
  followConnections,
  ProviderConnection,
} from '../provider-connection.tracker.js';
import { ProviderExchange } from './provider-exchange.handler.js';

const header = (name: string, value: string) => [
  Buffer.from(name),
  Buffer.from(value),
];

/** Drives the exchange as undici would up to a written request on `connection`. */
function written(exchange: ProviderExchange, connection?: ProviderConnection) {
  const abort = vi.fn();
  exchange.onConnect(abort);
  exchange.onConnection(connection);
  exchange.onRequestSent();
  return abort;
}

function socketError(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe('ProviderExchange', () => {
  it('settles with the status, the headers and the whole body', async () => {
    const exchange = new ProviderExchange(100);
    written(exchange, new ProviderConnection());
    exchange.onHeaders(201, [
      ...header('Content-Type', 'application/json'),
      ...header('Retry-After', '3'),
    ]);
    exchange.onData(Buffer.from('{"id":'));
    exchange.onData(Buffer.from('7}'));
    exchange.onComplete();

    const end = await exchange.ended;
    expect(end).toMatchObject({
      kind: 'answer',
      status: 201,
      headers: { 'content-type': 'application/json', 'retry-after': '3' },
    });
    expect(end.kind === 'answer' && end.body.toString()).toBe('{"id":7}');
    expect(exchange.progress).toMatchObject({
      connected: true,
      secured: true,
      written: true,
      answered: true,
      reused: false,
    });
  });

  it('reads exactly the limit, and stops one byte beyond it, closing the connection', async () => {
    const exact = new ProviderExchange(4);
    written(exact);
    exact.onHeaders(200, []);
    expect(exact.onData(Buffer.from('abcd'))).toBe(true);
    exact.onComplete();
    expect(await exact.ended).toMatchObject({ kind: 'answer', status: 200 });

    const over = new ProviderExchange(4);
    const abort = written(over);
    over.onHeaders(502, []);
    expect(over.onData(Buffer.from('abcde'))).toBe(false);
    expect(await over.ended).toEqual({ kind: 'too-large', status: 502 });
    expect(abort).toHaveBeenCalledOnce();
  });

  it('stops at a redirect without reading it', async () => {
    const exchange = new ProviderExchange(100);
    const abort = written(exchange);
    expect(exchange.onHeaders(302, header('Location', 'https://x'))).toBe(
      false,
    );
    expect(await exchange.ended).toEqual({ kind: 'redirect', status: 302 });
    expect(abort).toHaveBeenCalledOnce();
  });

  it('counts a second request on the same connection as reused', () => {
    const connection = new ProviderConnection();
    written(new ProviderExchange(100), connection);
    const second = new ProviderExchange(100);
    written(second, connection);
    expect(second.progress.reused).toBe(true);
  });

  it('cancelled before a connection: fails at once, and aborts the request when undici starts it', async () => {
    const exchange = new ProviderExchange(100);
    exchange.cancel(new Error('No answer within 5 ms.'));
    await expect(exchange.ended).rejects.toThrow('No answer within 5 ms.');

    const abort = vi.fn();
    exchange.onConnect(abort);
    expect(abort).toHaveBeenCalledOnce();
    expect(exchange.progress.connected).toBe(false);
  });

  it('takes how far a failed connection got from the followed connector', async () => {
    const socket = Object.assign(new EventEmitter(), {
      getProtocol: () => 'TLSv1.3',
    });
    let report!: (error: Error) => void;
    const connect = followConnections(((
      _options: unknown,
      callback: (error: Error, socket: null) => void,
    ) => {
      report = (error) => callback(error, null);
      return socket;
    }) as unknown as buildConnector.connector);
    connect({ hostname: 'x', protocol: 'https:', port: '443' }, () => {});
    socket.emit('connect');
    const error = socketError('ERR_TLS_CERT_ALTNAME_INVALID');
    report(error);

    const exchange = new ProviderExchange(100);
    exchange.onError(error);
    await expect(exchange.ended).rejects.toBe(error);
    expect(exchange.progress).toMatchObject({
      connected: true,
      secured: false,
      written: false,
    });
  });

  it('reports the socket error behind undici\'s "other side closed", with the TLS facts of the connection', async () => {
    const connection = new ProviderConnection();
    connection.tls13 = true;
    connection.firstError = socketError(
      'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
    );
    const exchange = new ProviderExchange(100);
    written(exchange, connection);
    exchange.onError(socketError('UND_ERR_SOCKET'));

    await expect(exchange.ended).rejects.toBe(connection.firstError);
    expect(exchange.progress).toMatchObject({
      tls13: true,
      ticketReceived: false,
      written: true,
      reused: false,
    });
  });

  it('keeps any other error as it is', async () => {
    const connection = new ProviderConnection();
    connection.firstError = socketError('EPIPE');
    const exchange = new ProviderExchange(100);
    written(exchange, connection);
    const reset = socketError('ECONNRESET');
    exchange.onError(reset);
    await expect(exchange.ended).rejects.toBe(reset);
  });

  it('settles once: a late error after the answer changes nothing', async () => {
    const exchange = new ProviderExchange(100);
    written(exchange);
    exchange.onHeaders(200, []);
    exchange.onComplete();
    exchange.onError(socketError('ECONNRESET'));
    expect(await exchange.ended).toMatchObject({ kind: 'answer' });
  });
});
