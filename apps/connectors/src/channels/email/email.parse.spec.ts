import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { screenInbound, type RejectReason } from './email.guards';
import { parseEmail, stripQuotedReply, type ParsedEmail } from './email.parse';

const FIXTURES = join(__dirname, '__fixtures__');
const SUPPORT = 'support@shop.test';
const load = (name: string) => readFileSync(join(FIXTURES, name));

interface Expectation {
  verdict: 'published' | RejectReason;
  says?: string[];
  saysNot?: string[];
  check?: (mail: ParsedEmail) => void;
}

/** Every file in __fixtures__ must be listed here: a new real-world sample needs a decided outcome. */
const CORPUS: Record<string, Expectation> = {
  'multipart-alternative.eml': { verdict: 'published', says: ['How long does delivery take to Austria?'] },
  'gmail-quoted-reply.eml': {
    verdict: 'published',
    says: ['change the delivery address'],
    saysNot: ['takes 3-5 working days', 'wrote:'],
    check: (m) => expect(m.inReplyTo).toEqual(['0194b7e2-aaaa-7bbb-8ccc-0a1b2c3d4e5f@shop.test']),
  },
  'outlook-quoted-reply.eml': { verdict: 'published', says: ['still not arrived', 'Tom Miller'], saysNot: ['has shipped', 'From: Demo Shop'] },
  'apple-mail-reply.eml': { verdict: 'published', says: ['send it again as a PDF'], saysNot: ['Sent from my iPhone', 'Here is your return label'] },
  'thunderbird-reply-de.eml': { verdict: 'published', says: ['Größe M zurück'], saysNot: ['innerhalb von 30 Tagen', 'Musterstraße'] },
  'iso-8859-1.eml': {
    verdict: 'published',
    says: ['wann bekomme ich die Rückerstattung für meine Bestellung 20931?'],
    check: (m) => {
      expect(m.subject).toBe('Rückerstattung für Bestellung 20931');
      expect(m.from?.name).toBe('Jürgen Müller');
    },
  },
  'base64-body.eml': { verdict: 'published', says: ['SPRING25 is not accepted'], check: (m) => expect(m.from?.name).toBe('Amélie Dubois') },
  'no-message-id.eml': {
    verdict: 'published',
    says: ['Where is my order 55012?'],
    check: (m) => {
      expect(m.messageId).toBeNull();
      expect(m.externalMessageId).toMatch(/^sha256:[0-9a-f]{40}$/);
    },
  },
  'malformed-headers.eml': { verdict: 'published', says: ['charged twice for order 77001'] },
  'winmail-dat.eml': {
    verdict: 'published',
    says: ['invoice with our VAT number'],
    check: (m) => expect(m.attachments.map((a) => [a.filename, a.contentType])).toEqual([['winmail.dat', 'application/ms-tnef']]),
  },
  'html-only-inline-image.eml': {
    verdict: 'published',
    says: ['arrived broken', 'Can I get a replacement?'],
    check: (m) => expect(m.attachments).toEqual([expect.objectContaining({ contentType: 'image/png', inline: true })]),
  },
  'out-of-office.eml': { verdict: 'auto-submitted' },
  'bounce-dsn.eml': {
    verdict: 'bounce',
    check: (m) =>
      expect(m.report).toEqual({
        action: 'failed',
        status: '5.1.1',
        diagnostic: 'smtp; 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown',
        recipient: 'nobody@example.org',
        originalMessageIds: ['0194b7e2-eeee-7bbb-8ccc-0a1b2c3d4e5f@shop.test'],
      }),
  },
  'mailing-list.eml': { verdict: 'precedence-bulk' },
  'noreply-sender.eml': { verdict: 'no-reply-sender' },
};

describe('the email corpus', () => {
  it('has a decided outcome for every fixture file', () => {
    expect(readdirSync(FIXTURES).filter((f) => f.endsWith('.eml')).sort()).toEqual(Object.keys(CORPUS).sort());
  });

  it.each(Object.entries(CORPUS))('%s is parsed without throwing and handled as expected', async (file, expected) => {
    const mail = await parseEmail(load(file));
    const verdict = screenInbound(mail, SUPPORT);
    expect(verdict.ok ? 'published' : verdict.reason).toBe(expected.verdict);
    for (const phrase of expected.says ?? []) expect(mail.newText).toContain(phrase);
    for (const phrase of expected.saysNot ?? []) expect(mail.newText).not.toContain(phrase);
    expected.check?.(mail);
  });

  it('gives a mail without Message-ID the same id every time it is fetched', async () => {
    const [a, b] = await Promise.all([parseEmail(load('no-message-id.eml')), parseEmail(load('no-message-id.eml'))]);
    expect(a.externalMessageId).toBe(b.externalMessageId);
  });

  it('parses a mail with a 12 MB attachment, keeping the question and the whole file', async () => {
    const file = Buffer.alloc(12 * 1024 * 1024, 7);
    const raw = [
      'From: Big Sender <big@example.com>',
      'To: support@shop.test',
      'Subject: Photos of the damage',
      'Message-ID: <big-1@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'All the photos are attached. Is this covered by the warranty?',
      '--b1',
      'Content-Type: application/zip; name="photos.zip"',
      'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename="photos.zip"',
      '',
      file.toString('base64').replace(/.{76}/g, '$&\r\n'),
      '--b1--',
      '',
    ].join('\r\n');
    const mail = await parseEmail(Buffer.from(raw));
    expect(mail.newText).toBe('All the photos are attached. Is this covered by the warranty?');
    expect(mail.attachments[0]).toEqual(expect.objectContaining({ filename: 'photos.zip', size: file.length }));
  });
});

describe('stripping what the customer did not just write', () => {
  it('keeps the whole text when everything looks quoted, so nothing is lost', () => {
    expect(stripQuotedReply('> only a quote\n> nothing else')).toBe('> only a quote\n> nothing else');
  });

  it('cuts an "-----Original Message-----" block', () => {
    expect(stripQuotedReply('Yes please.\n\n-----Original Message-----\nFrom: x\nold text')).toBe('Yes please.');
  });
});
