import { execFile } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { startDovecot, type DovecotServer } from './dovecot.harness';
import { FIXTURES, mail } from './email-test-kit';
import { startSmtpSink, type SmtpSink } from './smtp-sink.harness';

// The embedded mode (`npm start`) runs the connector's SQL on PGlite: threading, attachments as
// bytea, cursors, bounces and the send context must work there too. PGlite cannot load inside
// jest's VM, so the check runs as a built script in a child process (`npm test` builds first).
const root = resolve(__dirname, '../../..');
const script = join(root, 'dist/test/integration/email/embedded-sql.check.js');

let imap: DovecotServer;
let smtp: SmtpSink;
let dataDir: string;

beforeAll(async () => {
  [imap, smtp] = await Promise.all([startDovecot(), startSmtpSink()]);
  dataDir = mkdtempSync(join(tmpdir(), 'cs-email-pglite-'));
});

afterAll(async () => {
  await Promise.all([imap?.stop(), smtp?.stop()]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('threads, stores attachments, records bounces, keeps its cursor and sends replies on the embedded database', async () => {
  const source = join(__dirname, 'embedded-sql.check.ts');
  if (!existsSync(script) || statSync(script).mtimeMs < statSync(source).mtimeMs) {
    throw new Error(`${script} is missing or older than its source: run \`npm run build\``);
  }
  await imap.append(readFileSync(join(FIXTURES, 'bounce-dsn.eml')));
  await imap.append(readFileSync(join(FIXTURES, 'winmail-dat.eml')));
  await imap.append(mail({ from: 'nobody@example.org', subject: 'Re: Where is my parcel?', id: 'e1@example.org', body: 'Any news?', headers: ['In-Reply-To: <0194b7e2-eeee-7bbb-8ccc-0a1b2c3d4e5f@shop.test>'] }));

  const env = {
    ...process.env, EMBEDDED_DATA_DIR: dataDir, LOG_LEVEL: 'warn',
    IMAP_PORT: String(imap.port), IMAP_USER: imap.user, IMAP_PASSWORD: imap.password,
    SMTP_PORT: String(smtp.port), SMTP_USER: smtp.user, SMTP_PASSWORD: smtp.password,
  };
  const output = await new Promise<string>((done, fail) =>
    execFile(process.execPath, [script], { env, cwd: root, timeout: 90_000 }, (err, stdout, stderr) =>
      err ? fail(new Error(`${err.message}\n${stdout}\n${stderr}`)) : done(stdout),
    ),
  );
  const line = output.split('\n').find((l) => l.startsWith('RESULT '));
  const result = JSON.parse(line!.slice('RESULT '.length));

  expect(result.attachmentBytes).toBe(600);
  expect(result.replyConversationId).toBe(result.expectedConversationId);
  expect(result.bounceState).toBe('failed');
  expect(result.cursor).toEqual({ uidValidity: expect.any(String), lastUid: 3 });
  const [sent] = await smtp.waitForMails(1);
  expect(sent.parsed.inReplyTo).toBe('<e1@example.org>');
  expect(sent.parsed.messageId).toBe(`<${result.sentMessageId}>`);
}, 120_000);
