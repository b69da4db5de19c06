/**
 * Tells a database outage from a bad row, for the bus's consumers (libs/messaging takes it as a
 * `FailureClassifier`; it knows no database itself). SQLSTATEs from PostgreSQL and PGlite
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html):
 * - transient: class 08 (connection exception), 57P01-57P03 (admin/crash shutdown, cannot connect
 *   now), 53300 (too many connections), 40001/40P01 (serialization failure, deadlock: retry wins),
 *   and the pool's own "timeout exceeded when trying to connect" / "Connection terminated".
 * - permanent: class 22 (data exception: a NUL byte, invalid text, a value out of range): the
 *   message's own content, retrying cannot help. Anything else (a constraint, our own bug) gets the
 *   usual few retries.
 */
export function classifyDatabaseFailure(err: unknown): 'transient' | 'permanent' | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      if (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300', '40001', '40P01'].includes(code)) return 'transient';
      if (code.startsWith('22')) return 'permanent';
    }
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && /timeout exceeded when trying to connect|connection terminated/i.test(message)) {
      return 'transient';
    }
    // TypeORM's QueryFailedError keeps the driver error in driverError.
    e = (e as { driverError?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return undefined;
}
