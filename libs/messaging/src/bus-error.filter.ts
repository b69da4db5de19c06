import { Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';

/**
 * Nest's default RPC filter turns every error a handler throws into `{ status: 'error', message:
 * 'Internal server error' }`, and the bus can no longer tell a database outage (wait it out) from a
 * bad message (dead-letter it, with its reason). On a durable `@EventPattern` controller,
 * `@UseFilters(BusErrorFilter)` hands the bus the error as it was thrown.
 */
@Catch()
export class BusErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
