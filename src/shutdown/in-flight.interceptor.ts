import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { defer, lastValueFrom, type Observable } from 'rxjs';
import { InFlightDrain } from './in-flight.drain.js';

/**
 * Tracks every HTTP request from the moment its route is reached until it is answered, with
 * {@link InFlightDrain}: test sends, one-time code sends and checks, connection checks, settings
 * changes. Registered for every route (`APP_INTERCEPTOR`), so no controller has to remember it.
 */
@Injectable()
export class InFlightInterceptor implements NestInterceptor {
  constructor(private readonly drain: InFlightDrain) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    return defer(() =>
      this.drain.track(() =>
        lastValueFrom(next.handle(), { defaultValue: undefined }),
      ),
    );
  }
}
