import { Test } from '@nestjs/testing';
import {
  SMS_HTTP_TRANSPORT_KINDS,
  SmsHttpTransport,
  type SmsHttpTransportKind,
} from '@app/sms/transport/sms-http.transport.js';
import {
  createSmsHttpModule,
  smsHttpTransportProvider,
} from '@app/sms/transport/sms-http-transport.factory.js';
import type { SmsModuleOptions } from '@app/sms/sms-module-options.interface.js';
import { SMS_MODULE_OPTIONS } from '@app/sms/sms.module-definition.js';

/** Every transport: the contract suites run once on each. */
export const TRANSPORT_KINDS: readonly SmsHttpTransportKind[] =
  SMS_HTTP_TRANSPORT_KINDS;

/** A transport built by Nest as the module builds it, and a way to close it (and its agents). */
export interface TransportFixture {
  transport: SmsHttpTransport;
  close: () => Promise<void>;
}

/** Builds the {@link SmsHttpTransport} the options' `transport` names, as `SmsModule` does. */
export async function createTransport(
  options: SmsModuleOptions,
): Promise<TransportFixture> {
  const moduleRef = await Test.createTestingModule({
    imports: [createSmsHttpModule()],
    providers: [
      smsHttpTransportProvider,
      { provide: SMS_MODULE_OPTIONS, useValue: options },
    ],
  }).compile();
  await moduleRef.init();
  return {
    transport: moduleRef.get(SmsHttpTransport),
    close: () => moduleRef.close(),
  };
}
