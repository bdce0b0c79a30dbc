import { Injectable } from '@nestjs/common';
import { Dep } from './dep.js';
@Injectable()
export class SmsService { constructor(readonly dep: Dep) {} }
