import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { SmsQueryParameterDto } from './sms-query-parameter.dto.js';
import { setSmsSettingsValidationContext } from './sms-settings.constraints.js';
import { SmsSettingsDto, smsSettingsFieldsOf } from './sms-settings.dto.js';

/** Every message class-validator gives, flattened to `path: message`. */
async function messagesOf(dto: object): Promise<string[]> {
  const flatten = (
    errors: Awaited<ReturnType<typeof validate>>,
    prefix: string,
  ): string[] =>
    errors.flatMap((error) => [
      ...Object.values(error.constraints ?? {}).map(
        (message) => `${prefix}${error.property}: ${message}`,
      ),
      ...flatten(error.children ?? [], `${prefix}${error.property}.`),
    ]);
  return flatten(await validate(dto), '');
}

describe('SmsSettingsDto on its own', () => {
  it('validates with plain class-validator, in camelCase, as a ValidationPipe would', async () => {
    const dto = plainToInstance(SmsSettingsDto, {
      type: 'Smstools',
      fromName: ' My-sender ',
      apiUrl: 'ftp://app.smstools.com',
      clientSecret: 'client-secret',
    });
    expect(dto.fromName).toBe('My-sender');
    expect(await messagesOf(dto)).toEqual([
      'apiUrl: The field apiUrl must use https.',
      'clientId: The field clientId is required for Smstools.',
    ]);
  });

  it('turns parameters into SmsQueryParameterDto and validates each', async () => {
    const dto = plainToInstance(SmsSettingsDto, {
      type: 'AccessUrl',
      fromName: 'My-sender',
      apiUrl: 'https://some-provider.dk/sms/',
      parameters: [
        { name: 'to', value: '{phone}' },
        { name: 'text', value: '{message}{mesage}' },
      ],
    });
    expect(dto.parameters?.[0]).toBeInstanceOf(SmsQueryParameterDto);
    expect(await messagesOf(dto)).toEqual([
      'parameters.1.value: The field value contains the unknown placeholder {mesage}; the placeholders are {phone}, {message}, {fromName}.',
    ]);
  });

  it('names fields in PascalCase under a site context', async () => {
    const dto = plainToInstance(SmsSettingsDto, {
      type: 'GatewayApi',
      fromName: 'My-sender',
      apiUrl: 'https://gatewayapi.eu',
    });
    setSmsSettingsValidationContext(dto, {
      naming: 'PascalCase',
      customTypes: [],
    });
    expect(await messagesOf(dto)).toEqual([
      'clientSecret: The field ClientSecret is required for GatewayApi.',
    ]);
  });
});

describe('smsSettingsFieldsOf', () => {
  it('gives each built-in type its own fields', () => {
    expect(smsSettingsFieldsOf('AccessUrl', [])).toEqual([
      'type',
      'fromName',
      'apiUrl',
      'parameters',
    ]);
    expect(smsSettingsFieldsOf('TeliaSmsGateway', ['TeliaSmsGateway'])).toEqual(
      [
        'type',
        'fromName',
        'apiUrl',
        'clientId',
        'clientSecret',
        'certificatePemCrt',
        'certificatePemKey',
      ],
    );
  });

  it('gives a custom type every field and an unknown type the common ones', () => {
    expect(smsSettingsFieldsOf('Echo', ['Echo'])).toHaveLength(9);
    expect(smsSettingsFieldsOf('Echo', [])).toEqual([
      'type',
      'fromName',
      'apiUrl',
    ]);
    expect(smsSettingsFieldsOf(42, [])).toEqual(['type', 'fromName', 'apiUrl']);
  });
});
