import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { SmsService } from '@app/sms';
const app = await NestFactory.create(AppModule);
console.log('dep', app.get(SmsService).dep.v);
await app.close();
