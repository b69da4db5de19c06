import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { freePort } from '@cs/testing';

export interface CapturedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export interface SmtpSink {
  host: string;
  port: number;
  user: string;
  password: string;
  mails: CapturedMail[];
  /** Makes the next RCPT TO for `address` fail with this SMTP reply, e.g. `550 5.1.1 no such user`. */
  rejectRecipient(address: string, reply: { code: number; message: string }): void;
  waitForMails(count: number, timeoutMs?: number): Promise<CapturedMail[]>;
  stop(): Promise<void>;
}

/** A real SMTP server (the `smtp-server` library) that keeps whatever it is sent, with AUTH PLAIN/LOGIN. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const port = await freePort();
  const user = 'mailer';
  const password = 'smtp-test-password';
  const mails: CapturedMail[] = [];
  const rejections = new Map<string, { code: number; message: string }>();
  const server = new SMTPServer({
    secure: false,
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) return callback(null, { user });
      const err = Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 });
      return callback(err);
    },
    onRcptTo(address, _session, callback) {
      const reject = rejections.get(address.address.toLowerCase());
      if (!reject) return callback();
      return callback(Object.assign(new Error(reject.message), { responseCode: reject.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            mails.push({
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
            });
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    mails,
    rejectRecipient(address, reply) {
      rejections.set(address.toLowerCase(), reply);
    },
    async waitForMails(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (mails.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (mails.length < count) throw new Error(`expected ${count} mails at the SMTP sink, got ${mails.length}`);
      return mails.slice(0, count);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
