// @ts-check
import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { createAppModule } from './app.module.js';
import { LoginCodes } from './login-codes.js';

// Usage: SMS_API_URL=… SMS_TOKEN=… SMS_CA_FILE=… node src/send-code.js <phone> <code>
// Prints the send's result as JSON on the last line.
const [phone, code] = process.argv.slice(2);
const app = await NestFactory.createApplicationContext(
  createAppModule({
    settings: {
      Type: 'GatewayApi',
      FromName: 'PackedApp',
      ApiUrl: process.env.SMS_API_URL,
      ClientSecret: process.env.SMS_TOKEN,
    },
    extraCaCertificates: readFileSync(process.env.SMS_CA_FILE ?? '', 'utf8'),
  }),
  { logger: ['error'] },
);
try {
  const result = await app.get(LoginCodes).sendCode(phone, code);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await app.close();
}
