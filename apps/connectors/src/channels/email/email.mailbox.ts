import { Logger } from '@nestjs/common';
import { ImapFlow } from 'imapflow';
import type { DataSource } from 'typeorm';
import type { ChannelAccountRef } from '@cs/contracts';
import type { EmailSettings } from './email.definition';
import type { EmailInboundProcessor } from './email.inbound';

interface ImapCursor {
  uidValidity: string;
  lastUid: number;
}

const BACKOFF_MS = [1_000, 2_000, 5_000, 15_000, 30_000, 60_000];
/** A mail whose processing failed this often (database or bus errors each time) is skipped, not retried forever. */
const MAX_ATTEMPTS = 5;
const HANDLED_KEYWORD = '$CsHandled';
/** Bigger mail is flagged and logged, never downloaded: no support question needs 50 MB. */
const MAX_MESSAGE_BYTES = 50 * 1024 * 1024;

export interface MailboxHooks {
  /** The server refused our login: the account is marked failed; retrying would only lock it. */
  onAuthFailure(account: ChannelAccountRef, reason: string): Promise<void>;
  /** Whether this process may watch the mailbox now (another one may hold it); see MailboxLeases. */
  acquire(account: ChannelAccountRef): Promise<boolean>;
  release(account: ChannelAccountRef): Promise<void>;
}

/**
 * One watched IMAP folder. IDLE pushes new mail; a timer polls as the fallback. The last handled
 * UID and the folder's UIDVALIDITY live in `connector_cursors`, and a mail is flagged and the
 * cursor moved only after its bus publish resolved: a restart resumes exactly where it stopped.
 */
export class EmailMailbox {
  private readonly logger: Logger;
  private client: ImapFlow | null = null;
  private stopped = false;
  private syncing: Promise<void> | null = null;
  private syncAgain = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly attempts = new Map<number, number>();
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    readonly account: ChannelAccountRef,
    private readonly settings: EmailSettings,
    private readonly dataSource: DataSource,
    private readonly processor: EmailInboundProcessor,
    private readonly hooks: MailboxHooks,
  ) {
    this.logger = new Logger(`EmailMailbox:${account.id.slice(-8)}`);
  }

  private get cursorKey(): string {
    return `imap:${this.settings.imapMailbox}`;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    if (this.pollTimer) clearInterval(this.pollTimer);
    const client = this.client;
    await this.syncing?.catch(() => undefined);
    if (client) await (client.usable ? client.logout() : Promise.resolve()).catch(() => undefined).finally(() => client.close());
    await this.loop;
    await this.hooks.release(this.account);
  }

  /** Connect, sync, then wait for pushes and poll ticks until the connection drops; reconnect with backoff. */
  private async run(): Promise<void> {
    let failures = 0;
    let waitingLogged = false;
    while (!this.stopped) {
      if (!(await this.hooks.acquire(this.account))) {
        if (!waitingLogged) this.logger.log(`another process watches ${this.settings.imapUser}; standing by`);
        waitingLogged = true;
        await this.pause(this.settings.pollIntervalSec * 1000);
        continue;
      }
      waitingLogged = false;
      const client = this.newClient();
      // Held from the start so stop() can cut a connect that hangs on an unreachable server.
      this.client = client;
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      try {
        await client.connect();
        await client.mailboxOpen(this.settings.imapMailbox);
        failures = 0;
        // sync() logs its own failures; the catch is for anything that escapes it, so a push or a
        // poll can never become an unhandled rejection.
        const syncNow = (): void => {
          this.sync().catch((err: Error) => this.logger.warn(`sync failed: ${err.message}`));
        };
        client.on('exists', syncNow);
        this.pollTimer = setInterval(syncNow, this.settings.pollIntervalSec * 1000);
        await this.sync();
        await Promise.race([closed, new Promise<void>((resolve) => (this.wake = resolve))]);
      } catch (err) {
        if (isAuthFailure(err)) {
          this.logger.error(`login refused for ${this.settings.imapUser}: ${(err as Error).message}`);
          await this.hooks.onAuthFailure(this.account, `IMAP login refused: ${(err as Error).message}`).catch(() => undefined);
          this.stopped = true;
        } else if (!this.stopped) {
          this.logger.warn(`IMAP ${this.settings.imapHost}:${this.settings.imapPort} failed: ${(err as Error).message}`);
        }
        client.close();
      } finally {
        if (this.pollTimer) clearInterval(this.pollTimer);
        this.pollTimer = null;
        this.client = null;
      }
      if (this.stopped) break;
      const delay = BACKOFF_MS[Math.min(failures++, BACKOFF_MS.length - 1)];
      this.logger.warn(`IMAP connection to ${this.settings.imapHost} lost; reconnecting in ${delay / 1000} s`);
      await this.pause(delay);
    }
  }

  /** Sleeps, or less when stop() wakes it. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => (clearTimeout(timer), resolve());
    });
  }

  private newClient(): ImapFlow {
    const s = this.settings;
    const client = new ImapFlow({
      host: s.imapHost,
      port: s.imapPort,
      secure: s.imapTls,
      auth: { user: s.imapUser, pass: s.imapPassword },
      tls: { rejectUnauthorized: s.tlsRejectUnauthorized },
      logger: false,
      // IDLE soon after each sync (default 15 s), so new mail is pushed within a second or two.
      autoIdleDelay: 1_000,
    });
    // Without a listener an 'error' event would crash the process; the close that follows reconnects.
    client.on('error', (err: Error) => this.logger.warn(`IMAP connection error: ${err.message}`));
    return client;
  }

  /** Serialized: a push arriving mid-sync asks for one more pass instead of running in parallel. */
  sync(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      try {
        do {
          this.syncAgain = false;
          await this.syncOnce();
        } while (this.syncAgain && !this.stopped);
      } catch (err) {
        if (!this.stopped) this.logger.warn(`sync stopped, retried on the next push or poll: ${(err as Error).message}`);
      } finally {
        this.syncing = null;
      }
    })();
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const client = this.client;
    if (!client || this.stopped || !client.mailbox) return;
    const uidValidity = String(client.mailbox.uidValidity);
    const uidNextAtOpen = client.mailbox.uidNext;
    const cursor = await this.loadCursor();
    const fresh = !cursor || cursor.uidValidity !== uidValidity;
    // First start (or a recreated folder): answer what is unread; never replay mail already read.
    const found = fresh
      ? await client.search({ seen: false }, { uid: true })
      : await client.search({ uid: `${cursor.lastUid + 1}:*` }, { uid: true });
    const floor = fresh ? 0 : cursor.lastUid;
    const uids = (found || []).filter((uid) => uid > floor).sort((a, b) => a - b);
    let lastUid = floor;
    const keyword = client.mailbox.permanentFlags?.has('\\*') ? [HANDLED_KEYWORD] : [];
    for (const uid of uids) {
      if (this.stopped) return;
      await this.handle(client, uid, keyword);
      lastUid = uid;
      await this.saveCursor({ uidValidity, lastUid });
    }
    if (fresh) await this.saveCursor({ uidValidity, lastUid: Math.max(lastUid, uidNextAtOpen - 1) });
  }

  private async handle(client: ImapFlow, uid: number, keyword: string[]): Promise<void> {
    // Size first: a 200 MB mail is not pulled into memory to find out it cannot be answered.
    const head = await client.fetchOne(String(uid), { uid: true, size: true, internalDate: true }, { uid: true });
    if (head && (head.size ?? 0) > MAX_MESSAGE_BYTES) {
      this.logger.log(`not answered: UID ${uid} on account ${this.account.id}: too-large (${head.size} bytes)`);
    } else if (head) {
      const fetched = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      if (fetched && fetched.source) {
        const receivedAt = head.internalDate ? new Date(head.internalDate) : undefined;
        try {
          await this.processor.process(this.account, this.settings, fetched.source, receivedAt);
          this.attempts.delete(uid);
        } catch (err) {
          const attempt = (this.attempts.get(uid) ?? 0) + 1;
          this.attempts.set(uid, attempt);
          if (attempt < MAX_ATTEMPTS) throw err;
          this.logger.error(`giving up on UID ${uid} after ${attempt} attempts: ${(err as Error).message}`);
          this.attempts.delete(uid);
        }
      }
    }
    await client.messageFlagsAdd(String(uid), ['\\Seen', ...keyword], { uid: true });
    if (this.settings.moveToFolder) await client.messageMove(String(uid), this.settings.moveToFolder, { uid: true });
  }

  private async loadCursor(): Promise<ImapCursor | null> {
    const rows: { value: ImapCursor | string }[] = await this.dataSource.query(
      `SELECT value FROM connector_cursors WHERE channel_account_id = $1 AND key = $2`,
      [this.account.id, this.cursorKey],
    );
    if (!rows[0]) return null;
    const value = typeof rows[0].value === 'string' ? (JSON.parse(rows[0].value) as ImapCursor) : rows[0].value;
    return typeof value.lastUid === 'number' && typeof value.uidValidity === 'string' ? value : null;
  }

  private async saveCursor(value: ImapCursor): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO connector_cursors (channel_account_id, key, value, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (channel_account_id, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [this.account.id, this.cursorKey, JSON.stringify(value)],
    );
  }
}

function isAuthFailure(err: unknown): boolean {
  const e = err as { authenticationFailed?: boolean; serverResponseCode?: string };
  return e?.authenticationFailed === true || e?.serverResponseCode === 'AUTHENTICATIONFAILED';
}
