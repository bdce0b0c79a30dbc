import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  createCertificateAuthority,
  issueCertificate,
} from './certificates.js';

describe('certificates', () => {
  it('issues a server and a client certificate that pass a real mutual TLS handshake', async () => {
    const ca = await createCertificateAuthority({ commonName: 'Test CA' });
    const server = await issueCertificate(ca, {
      commonName: 'localhost',
      usage: 'server',
    });
    const client = await issueCertificate(ca, {
      commonName: 'client',
      usage: 'client',
      keyType: 'rsa',
    });
    expect(
      new X509Certificate(client.certificatePem).checkPrivateKey(
        createPrivateKey(client.privateKeyPem),
      ),
    ).toBe(true);
    expect(
      new X509Certificate(server.certificatePem).checkIssued(
        new X509Certificate(ca.certificatePem),
      ),
    ).toBe(true);

    const https = createServer(
      {
        cert: server.certificatePem,
        key: server.privateKeyPem,
        ca: ca.certificatePem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) =>
        res.end(
          `hello ${(req.socket as import('node:tls').TLSSocket).getPeerCertificate().subject.CN}`,
        ),
    );
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    const { port } = https.address() as AddressInfo;
    const body = await new Promise<string>((resolve, reject) => {
      request(
        {
          host: '127.0.0.1',
          port,
          ca: ca.certificatePem,
          cert: client.certificatePem,
          key: client.privateKeyPem,
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve(text));
        },
      )
        .on('error', reject)
        .end();
    });
    https.close();
    expect(body).toBe('hello client');
  });
});
