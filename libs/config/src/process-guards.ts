import { Logger } from '@nestjs/common';
import { errorsTotal } from './metrics';

let installed = false;

/**
 * A promise rejected with nobody listening (a background timer, a fire-and-forget call we missed)
 * would end the process under Node's default, and with it every channel it serves: a database
 * outage must not do that. It is logged and counted (`cs_errors_total{kind="unhandled_rejection"}`)
 * instead; the code that dropped it is the bug to fix.
 */
export function keepAliveOnStrayRejections(app: string): void {
  if (installed) return;
  installed = true;
  const logger = new Logger('process');
  process.on('unhandledRejection', (reason) => {
    errorsTotal.inc({ app, kind: 'unhandled_rejection' });
    logger.error(`unhandled rejection (kept running): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  });
}
