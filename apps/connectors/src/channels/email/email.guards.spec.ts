import { replyAddressOf, screenInbound } from './email.guards';
import { parseEmail } from './email.parse';

const mail = (headers: string, body = 'Where is my order?') => parseEmail(Buffer.from(`${headers}\r\nSubject: hi\r\n\r\n${body}\r\n`));

describe('inbound guards', () => {
  it('never answers mail from our own support address, whatever its case', async () => {
    const verdict = screenInbound(await mail('From: Support <Support@Shop.test>'), 'support@shop.test');
    expect(verdict).toEqual(expect.objectContaining({ ok: false, reason: 'own-address' }));
  });

  it('answers mail that says Auto-Submitted: no', async () => {
    expect(screenInbound(await mail('From: a@example.com\r\nAuto-Submitted: no'), 'support@shop.test')).toEqual({ ok: true });
  });

  it('does not answer mail with an empty Return-Path (RFC 3834)', async () => {
    const verdict = screenInbound(await mail('Return-Path: <>\r\nFrom: a@example.com'), 'support@shop.test');
    expect(verdict).toEqual(expect.objectContaining({ ok: false, reason: 'null-return-path' }));
  });

  it('does not answer Exchange auto-replies flagged only with X-Auto-Response-Suppress', async () => {
    const verdict = screenInbound(await mail('From: a@example.com\r\nX-Auto-Response-Suppress: OOF, AutoReply'), 'support@shop.test');
    expect(verdict).toEqual(expect.objectContaining({ ok: false, reason: 'auto-reply-header' }));
  });

  it('treats do-not-reply style senders as robots', async () => {
    for (const from of ['noreply@x.com', 'do-not-reply@x.com', 'no_reply+123@x.com', 'bounces+abc@x.com']) {
      expect(screenInbound(await mail(`From: ${from}`), 'support@shop.test')).toEqual(expect.objectContaining({ reason: 'no-reply-sender' }));
    }
    expect(screenInbound(await mail('From: noreen@x.com'), 'support@shop.test')).toEqual({ ok: true });
  });

  it('answers a no-reply sender whose Reply-To names a person, there, with their name', async () => {
    const form = await mail('From: Contact form <no-reply@forms.shop-site.example>\r\nReply-To: Hank <hank@customer.example>');
    expect(screenInbound(form, 'support@shop.test')).toEqual({ ok: true });
    expect(replyAddressOf(form)).toEqual({ address: 'hank@customer.example', name: 'Hank' });
  });

  it("answers to Reply-To rather than From, keeping From's name when Reply-To has none", async () => {
    const grace = await mail('From: Grace Hopper <grace@customer.example>\r\nReply-To: grace.home@customer.example');
    expect(replyAddressOf(grace)).toEqual({ address: 'grace.home@customer.example', name: 'Grace Hopper' });
  });

  it('still refuses an auto-reply, a no-reply Reply-To, and a Reply-To pointing at our own address', async () => {
    const away = await mail('From: a@example.com\r\nReply-To: b@example.com\r\nAuto-Submitted: auto-replied');
    expect(screenInbound(away, 'support@shop.test')).toEqual(expect.objectContaining({ reason: 'auto-submitted' }));
    const robot = await mail('From: a@example.com\r\nReply-To: noreply@example.com');
    expect(screenInbound(robot, 'support@shop.test')).toEqual(expect.objectContaining({ reason: 'no-reply-sender' }));
    const us = await mail('From: a@example.com\r\nReply-To: Support@Shop.test');
    expect(screenInbound(us, 'support@shop.test')).toEqual(expect.objectContaining({ reason: 'own-address' }));
  });
});
