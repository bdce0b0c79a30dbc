import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SmsModule, SmsService, type SmsModuleOptions } from '@app/sms';
import { SmsHttpTransport } from '@app/sms/transport/sms-http.transport.js';

/** The library on its own, as an application that imports `SmsModule` has it. */
export interface SmsLibraryContext {
  sms: SmsService;
  /** The transport, to read how many client-certificate agents it holds. */
  transport: SmsHttpTransport;
  /** Closes the module, and with it every connection. */
  close(): Promise<void>;
}

/** Starts a Nest application context with `SmsModule.forRoot(options)`. */
export async function startSmsLibrary(
  options: SmsModuleOptions,
  logger: LoggerService,
): Promise<SmsLibraryContext> {
  const app = await NestFactory.createApplicationContext(
    SmsModule.forRoot(options),
    { logger, abortOnError: false },
  );
  return {
    sms: app.get(SmsService),
    transport: app.get(SmsHttpTransport, { strict: false }),
    close: () => app.close(),
  };
}
