import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { expectText, launchChromium, spawnApp, startS3Server, waitFor, type SpawnedApp } from '@cs/testing';

jest.setTimeout(240_000);

const ADMIN = { email: 'files-admin@demo.shop', password: 'files-e2e-password' };
/** Small, so the limit can be crossed without pushing megabytes through the test. */
const UPLOAD_MAX_BYTES = 64 * 1024;
/** A real 1x1 picture, so the browser can show it. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n% a delivery note\n%%EOF\n');

interface Attachment {
  name: string;
  mimeType: string;
  size: number;
  url: string;
}

/**
 * A customer sends files from the widget in real Chromium, against `npm start` whose files go to a
 * real S3-speaking server (s3rver): a photo through the paperclip, a PDF pasted into the message
 * box, one dropped on the chat; a file over the limit and one of another type are refused with the
 * reason before they are sent. The agent says it received the photo and hands over; staff see each
 * file with a link that downloads it; after a reload the widget shows the photo again.
 */
describe('files in the chat widget (Chromium, S3 storage)', () => {
  let s3: Awaited<ReturnType<typeof startS3Server>>;
  let app: SpawnedApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    s3 = await startS3Server();
    app = await spawnApp(
      'embedded',
      {
        LOG_LEVEL: 'warn',
        DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cs-widget-files-')),
        UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES),
        DEMO_ADMIN_EMAIL: ADMIN.email,
        DEMO_ADMIN_PASSWORD: ADMIN.password,
        ...s3.env,
      },
      { readyLine: /READY http/, readyTimeoutMs: 120_000 },
    );
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${app.url}/`);
    await page.locator('[data-cs-input]').waitFor({ state: 'visible', timeout: 15_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.kill();
    await s3?.close();
  });

  const uploads = () => page.locator('[data-cs-upload]');
  const botMessages = () => page.locator('[data-cs-message][data-author="bot"]');

  async function staffFiles(): Promise<Attachment[]> {
    const login = (await (await fetch(`${app.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) })).json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${login.accessToken}` };
    const list = (await (await fetch(`${app.url}/api/v1/conversations?channel=webchat`, { headers: auth })).json()) as { items: { id: string }[] };
    const files: Attachment[] = [];
    for (const { id } of list.items) {
      const detail = (await (await fetch(`${app.url}/api/v1/conversations/${id}`, { headers: auth })).json()) as { messages: { attachments: Attachment[] }[] };
      for (const m of detail.messages) files.push(...m.attachments);
    }
    return files;
  }

  it('sends a photo with the paperclip, with progress; the agent says it got it and hands over; staff can open it', async () => {
    // Records whether the progress bar was shown while the file went up.
    await page.evaluate(() => {
      const w = window as unknown as { progressSeen: boolean };
      w.progressSeen = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-cs-progress]')) w.progressSeen = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.locator('[data-cs-file]').setInputFiles({ name: 'damaged parcel.png', mimeType: 'image/png', buffer: PNG });

    await expectText(uploads().first(), /damaged parcel\.png.*Sent/);
    expect(await page.evaluate(() => (window as unknown as { progressSeen: boolean }).progressSeen)).toBe(true);
    await expectText(botMessages().first(), /received your file \(damaged parcel\.png\).*look at it/i, 60_000);

    const [photo] = await waitFor(async () => (await staffFiles()).filter((f) => f.name === 'damaged parcel.png'), { what: 'the photo in the conversation', timeoutMs: 15_000 });
    expect(photo).toMatchObject({ mimeType: 'image/png', size: PNG.length, url: expect.stringContaining(s3.endpoint) });
    const download = await fetch(photo.url);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);
  });

  it('sends a PDF pasted into the message box', async () => {
    await page.locator('[data-cs-input]').evaluate((input, bytes) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], 'delivery note.pdf', { type: 'application/pdf' }));
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, [...PDF]);

    await expectText(uploads().nth(1), /delivery note\.pdf.*Sent/);
    const files = await waitFor(async () => (await staffFiles()).filter((f) => f.name === 'delivery note.pdf'), { what: 'the pasted PDF', timeoutMs: 15_000 });
    expect(Buffer.from(await (await fetch(files[0].url)).arrayBuffer())).toEqual(PDF);
  });

  /** Drops files on the chat panel as a drag from the desktop does. */
  async function drop(files: { name: string; type: string; bytes: number[] }[]): Promise<void> {
    await page.locator('[data-cs-panel]').evaluate((panel, list) => {
      const data = new DataTransfer();
      for (const f of list) data.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
      panel.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      panel.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, files);
  }

  it('sends a photo dropped on the chat, and refuses one over the limit and a text file, saying why, without sending them', async () => {
    await drop([{ name: 'label.png', type: 'image/png', bytes: [...PNG] }]);
    await expectText(uploads().nth(2), /label\.png.*Sent/);

    await drop([{ name: 'huge.png', type: 'image/png', bytes: [...PNG, ...new Array(UPLOAD_MAX_BYTES + 2048).fill(0)] }]);
    await expectText(page.locator('[data-cs-file-error]').first(), /Not sent: this file is 66 KB; files can be at most 64 KB\./);
    await drop([{ name: 'notes.txt', type: 'text/plain', bytes: [...Buffer.from('hello')] }]);
    await expectText(page.locator('[data-cs-file-error]').nth(1), /only pictures \(PNG, JPEG, GIF, WebP\) and PDF files/);

    const names = (await staffFiles()).map((f) => f.name).sort();
    expect(names).toEqual(['damaged parcel.png', 'delivery note.pdf', 'label.png']);
  });

  it('refuses at the server too: a file over the limit (413) and bytes that are not a picture or a PDF (415), naming the field', async () => {
    const widgetKey = await page.locator('script[data-key]').getAttribute('data-key');
    const send = (bytes: Buffer, name: string) => {
      const body = new FormData();
      body.append('file', new Blob([new Uint8Array(bytes)]), name);
      return fetch(`${app.url}/webchat/files?key=${widgetKey}&session=session-${Date.now()}&clientId=c${Date.now()}`, { method: 'POST', body });
    };
    const tooLarge = await send(Buffer.concat([PNG, Buffer.alloc(UPLOAD_MAX_BYTES)]), 'big.png');
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: { message: string } }).error.message).toBe('file: larger than the 64 KB limit');
    const disguised = await send(Buffer.from('<html><script>alert(1)</script></html>'), 'photo.png');
    expect(disguised.status).toBe(415);
    expect(((await disguised.json()) as { error: { message: string } }).error.message).toMatch(/^file: only pictures/);
  });

  it('shows the photo again after a reload, from a signed link', async () => {
    await page.reload();
    const thumb = page.locator('[data-cs-message][data-author="contact"] img[data-cs-thumb]').first();
    await thumb.waitFor({ timeout: 15_000 });
    expect(await thumb.getAttribute('src')).toContain(s3.endpoint);
    // Decoded by the browser: the link served the picture's bytes as a picture.
    await waitFor(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth === 1), { what: 'the picture shown', timeoutMs: 10_000 });
  });
});
