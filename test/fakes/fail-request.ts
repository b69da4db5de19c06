import type { ServerResponse } from 'http';

/**
 * A fake vendor's handler threw: say so in the test output and answer 500 (or cut the connection
 * if the answer had begun), so the SDK under test sees a failure instead of the test process
 * dying on an unhandled rejection.
 */
export function failRequest(fake: string, res: ServerResponse, err: Error): void {
  console.error(`${fake}: ${err.stack ?? err.message}`);
  if (res.headersSent) res.destroy();
  else res.writeHead(500, { 'content-type': 'text/plain' }).end(`${fake} failed: ${err.message}`);
}
