import { SandboxPortInUseError } from './sandbox-port-in-use.error.js';

describe('SandboxPortInUseError', () => {
  const sandbox = { host: '127.0.0.1', port: 3001 };

  it.each([
    'https://localhost:3001/gatewayapi/rest/mtsms',
    'https://127.0.0.1:3001/env/acme/smstools/v1/message/send?key=value',
    'https://[::1]:3001/access-url/send',
  ])('says that Settings:Sms:ApiUrl %s points at the sandbox', (apiUrl) => {
    expect(new SandboxPortInUseError(sandbox, apiUrl).message).toBe(
      [
        'the sandbox cannot listen on 127.0.0.1:3001, another process uses that port.',
        '- Settings:Sandbox:Port: set a free port (e.g. Settings__Sandbox__Port=3002), or stop the other process.',
        "- Settings:Sms:ApiUrl: points at the sandbox's port 3001; give it the new port too.",
      ].join('\n'),
    );
  });

  it.each([
    ['a provider elsewhere', 'https://gatewayapi.eu/rest/mtsms'],
    ['another local port', 'https://localhost:3002/gatewayapi/rest/mtsms'],
    ['no site settings', undefined],
    ['a value that is no URL', 'not a url'],
  ])(
    'still names Settings:Sms:ApiUrl for %s, without showing it',
    (_case, apiUrl) => {
      const { message } = new SandboxPortInUseError(sandbox, apiUrl);

      expect(message).toContain('- Settings:Sandbox:Port: ');
      expect(message).toMatch(
        /\n- Settings:Sms:ApiUrl: give it the new port too if it points at the sandbox\.$/,
      );
      if (apiUrl) expect(message).not.toContain(apiUrl);
    },
  );

  it('writes an IPv6 host in brackets and keeps the listen error as its cause', () => {
    const cause = Object.assign(new Error('listen EADDRINUSE'), {
      code: 'EADDRINUSE',
    });
    const error = new SandboxPortInUseError(
      { host: '::1', port: 8443 },
      undefined,
      { cause },
    );

    expect(error.message).toMatch(
      /^the sandbox cannot listen on \[::1\]:8443, /,
    );
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('SandboxPortInUseError');
  });
});
