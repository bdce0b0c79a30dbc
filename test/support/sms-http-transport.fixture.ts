import { Test } from '@nestjs/testing';
import { SmsHttpTransport } from '@app/sms/transport/sms-http.transport.js';
import type { SmsModuleOptions } from '@app/sms/sms-module-options.interface.js';
import { SMS_MODULE_OPTIONS } from '@app/sms/sms.module-definition.js';

/** A transport built by Nest as the module builds it, and a way to close it (and its agents). */
export interface TransportFixture {
  transport: SmsHttpTransport;
  close: () => Promise<void>;
}

/** Builds an {@link SmsHttpTransport} with the given options. */
export async function createTransport(
  options: SmsModuleOptions,
): Promise<TransportFixture> {
  const moduleRef = await Test.createTestingModule({
    providers: [
      SmsHttpTransport,
      { provide: SMS_MODULE_OPTIONS, useValue: options },
    ],
  }).compile();
  await moduleRef.init();
  return {
    transport: moduleRef.get(SmsHttpTransport),
    close: () => moduleRef.close(),
  };
}
