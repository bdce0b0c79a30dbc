import { splitEnvironmentPath } from './sandbox-environment.path.js';

describe('splitEnvironmentPath', () => {
  it('takes the environment from in front of the endpoint path', () => {
    expect(splitEnvironmentPath('/env/tenant-a/gatewayapi/rest/mtsms')).toEqual(
      {
        environment: { name: 'tenant-a', prefix: '/env/tenant-a' },
        pathname: '/gatewayapi/rest/mtsms',
      },
    );
  });

  it('decodes the name and keeps the prefix as received', () => {
    expect(splitEnvironmentPath('/env/tenant%20a/x').environment).toEqual({
      name: 'tenant a',
      prefix: '/env/tenant%20a',
    });
    expect(splitEnvironmentPath('/env/%E0%A4%A/x').environment?.name).toBe(
      '%E0%A4%A',
    );
  });

  it.each([
    '/gatewayapi/rest/mtsms',
    '/env/tenant-a',
    '/env//x',
    '/environments/a/x',
    '/',
  ])('finds no environment in %s', (pathname) => {
    expect(splitEnvironmentPath(pathname)).toEqual({
      environment: null,
      pathname,
    });
  });
});
