import { ExchangeProgress } from './exchange-progress.js';
import { classifyTransportFailure } from './transport-failure.classifier.js';

function progress(state: Partial<ExchangeProgress>): ExchangeProgress {
  return Object.assign(new ExchangeProgress(), state);
}

const fresh13 = { connected: true, secured: true, tls13: true };

describe('classifyTransportFailure', () => {
  it.each([
    [{ code: 'ENOTFOUND', syscall: 'getaddrinfo' }, 'dns'],
    [{ code: 'EAI_AGAIN', syscall: 'getaddrinfo' }, 'dns'],
    [{ code: 'ENOTFOUND' }, 'dns'],
    [{ code: 'ECONNREFUSED', syscall: 'connect' }, 'connect'],
    [{ code: 'EHOSTUNREACH', syscall: 'connect' }, 'connect'],
    [{ code: 'ECONNRESET' }, 'connect'],
  ])('classifies %j before the connection as %s, not sent', (failure, kind) => {
    expect(
      classifyTransportFailure(progress({}), failure, false, false),
    ).toEqual({
      kind,
      maybeSent: false,
      code: failure.code,
    });
  });

  it.each([
    'SELF_SIGNED_CERT_IN_CHAIN',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'ECONNRESET',
    'EPROTO',
  ])('classifies %s during the handshake as tls, not sent', (code) => {
    expect(
      classifyTransportFailure(
        progress({ connected: true }),
        { code },
        false,
        true,
      ),
    ).toEqual({ kind: 'tls', maybeSent: false, code });
  });

  it('classifies a timeout by whether the request had been written after the handshake', () => {
    expect(
      classifyTransportFailure(progress({ connected: true }), {}, true, false),
    ).toMatchObject({ kind: 'timeout', maybeSent: false });
    expect(
      classifyTransportFailure(progress({ ...fresh13 }), {}, true, false),
    ).toMatchObject({ kind: 'timeout', maybeSent: false });
    expect(
      classifyTransportFailure(
        progress({ ...fresh13, written: true }),
        {},
        true,
        false,
      ),
    ).toMatchObject({ kind: 'timeout', maybeSent: true });
  });

  it('classifies a reset by whether the request had been written', () => {
    expect(
      classifyTransportFailure(
        progress({ ...fresh13, reused: true }),
        { code: 'EPIPE' },
        false,
        false,
      ),
    ).toMatchObject({ kind: 'reset', maybeSent: false });
    expect(
      classifyTransportFailure(
        progress({ ...fresh13, ticketReceived: true, written: true }),
        { code: 'ECONNRESET' },
        false,
        true,
      ),
    ).toMatchObject({ kind: 'reset', maybeSent: true });
    expect(
      classifyTransportFailure(
        progress({ ...fresh13, written: true, answered: true }),
        { code: 'ECONNRESET' },
        false,
        true,
      ),
    ).toMatchObject({ kind: 'reset', maybeSent: true });
  });

  it('takes a certificate alert right after a TLS 1.3 handshake as a refused handshake', () => {
    expect(
      classifyTransportFailure(
        progress({ ...fresh13, written: true }),
        { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' },
        false,
        false,
      ),
    ).toMatchObject({ kind: 'tls', maybeSent: false });
  });

  it('takes a silent close of a fresh TLS 1.3 mutual-TLS connection as a refused handshake', () => {
    const closedSilently = progress({ ...fresh13, written: true });
    expect(
      classifyTransportFailure(
        closedSilently,
        { code: 'ECONNRESET' },
        false,
        true,
      ),
    ).toMatchObject({ kind: 'tls', maybeSent: false });
    // Without a client certificate, or on TLS 1.2, there was nothing for the server to refuse late.
    expect(
      classifyTransportFailure(
        closedSilently,
        { code: 'ECONNRESET' },
        false,
        false,
      ),
    ).toMatchObject({ kind: 'reset', maybeSent: true });
    expect(
      classifyTransportFailure(
        progress({ ...fresh13, tls13: false, written: true }),
        { code: 'ECONNRESET' },
        false,
        true,
      ),
    ).toMatchObject({ kind: 'reset', maybeSent: true });
  });
});
