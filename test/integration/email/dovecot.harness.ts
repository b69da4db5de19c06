import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { ImapFlow } from 'imapflow';
import { freePort } from '@cs/testing';

export interface DovecotServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Puts a raw message into a folder, as a mail delivery would. */
  append(raw: string | Buffer, folder?: string): Promise<void>;
  /** Clears \\Seen on every message, as a person marking mail unread in their mail client would. */
  markAllUnseen(folder?: string): Promise<void>;
  /** Stops the server and starts it again on the same port with the same mail, as a server restart. */
  restart(): Promise<void>;
  /** UIDs and flags of the messages in a folder. */
  list(folder?: string): Promise<{ uid: number; flags: string[]; messageId: string | undefined }[]>;
  stop(): Promise<void>;
}

const DOVECOT = '/usr/sbin/dovecot';

/**
 * A real IMAP server for the tests: Debian's dovecot in a temp folder with its own config (Maildir,
 * one passwd-file user, plaintext login, no SSL, a free port), run in the foreground as a child.
 * Started as root (as the test runner is); it drops to the Debian package's dovecot/dovenull users.
 */
export async function startDovecot(): Promise<DovecotServer> {
  if (!fs.existsSync(DOVECOT)) {
    execFileSync('apt-get', ['install', '-y', '-q', 'dovecot-imapd'], { stdio: 'ignore', timeout: 180_000 });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-dovecot-'));
  const port = await freePort();
  const user = 'support';
  const password = 'imap-test-password';
  for (const sub of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, sub));
  // dovecot runs as root but drops to its own users: login as dovenull, the mailbox as dovecot.
  fs.chmodSync(dir, 0o755);
  execFileSync('chown', ['dovecot:dovecot', path.join(dir, 'mail')]);
  fs.writeFileSync(path.join(dir, 'users'), `${user}:{PLAIN}${password}::::::\n`);
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 1
mail_location = maildir:${dir}/mail/%u
default_internal_user = dovecot
default_login_user = dovenull
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=${dir}/mail/%u
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Handled {
    auto = create
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
`,
  );
  let child = await spawnDovecot(dir, conf, port);

  const connect = async () => {
    const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false });
    await client.connect();
    return client;
  };
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    async append(raw, folder = 'INBOX') {
      const client = await connect();
      try {
        await client.append(folder, raw);
      } finally {
        await client.logout();
      }
    },
    async markAllUnseen(folder = 'INBOX') {
      const client = await connect();
      try {
        await client.mailboxOpen(folder);
        if (client.mailbox && client.mailbox.exists > 0) await client.messageFlagsRemove('1:*', ['\\Seen']);
      } finally {
        await client.logout();
      }
    },
    async list(folder = 'INBOX') {
      const client = await connect();
      try {
        await client.mailboxOpen(folder);
        const out: { uid: number; flags: string[]; messageId: string | undefined }[] = [];
        if (client.mailbox && client.mailbox.exists > 0) {
          for await (const m of client.fetch('1:*', { uid: true, flags: true, envelope: true })) {
            out.push({ uid: m.uid, flags: [...(m.flags ?? [])], messageId: m.envelope?.messageId });
          }
        }
        return out;
      } finally {
        await client.logout();
      }
    },
    async restart() {
      await terminate(child);
      child = await spawnDovecot(dir, conf, port);
    },
    async stop() {
      await terminate(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function spawnDovecot(dir: string, conf: string, port: number): Promise<ChildProcess> {
  // Output to a file, not a pipe: dovecot's own children inherit it, and an open pipe keeps jest alive.
  const out = fs.openSync(path.join(dir, 'stderr.log'), 'a');
  // Its own process group, so stopping it also ends the IMAP sessions it forked (they outlive the
  // master otherwise, and a "restart" would not drop the connector's connection).
  const child = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  // If the test process dies before stop() (a crashed worker), take the server with it.
  const killGroup = () => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killGroup);
  child.once('exit', () => process.removeListener('exit', killGroup));
  await waitForPort(port, child, () => readLog(dir, 'stderr.log') + readLog(dir, 'dovecot.log'));
  return child;
}

async function terminate(child: ChildProcess): Promise<void> {
  const group = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // the group is already gone
    }
  };
  if (child.exitCode !== null || child.signalCode !== null) return group('SIGKILL');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  group('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 3000)));
  if (await Promise.race([exited.then(() => false), late])) {
    group('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
  group('SIGKILL');
}

function readLog(dir: string, file: string): string {
  try {
    return fs.readFileSync(path.join(dir, file), 'utf8');
  } catch {
    return '';
  }
}

async function waitForPort(port: number, child: ChildProcess, diagnostics: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`dovecot exited with ${child.exitCode}:\n${diagnostics()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`dovecot did not listen on ${port}:\n${diagnostics()}`);
}
