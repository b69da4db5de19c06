import { composeReply } from './email.compose';
import { toConnectorError } from './email.send';
import { conversationToken, replySubject, tokenInSubject } from './email.threading';

describe('SMTP errors as connector errors', () => {
  it.each([
    [{ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Authentication credentials invalid' }, 'AUTH'],
    [{ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 <x@y>: Recipient address rejected', command: 'RCPT TO' }, 'INVALID_RECIPIENT'],
    [{ code: 'EENVELOPE', responseCode: 550, response: '550 no such user here', command: 'RCPT TO' }, 'INVALID_RECIPIENT'],
    [{ code: 'EENVELOPE', responseCode: 451, response: '451 4.3.0 try again later', command: 'RCPT TO' }, 'TEMPORARY'],
    [{ code: 'EMESSAGE', responseCode: 552, response: '552 5.3.4 Message too big', command: 'DATA' }, 'PERMANENT'],
    [{ code: 'ECONNECTION', message: 'connect ECONNREFUSED 127.0.0.1:25' }, 'TEMPORARY'],
    [{ code: 'ETIMEDOUT', message: 'Greeting never received' }, 'TEMPORARY'],
  ])('%j becomes %s', (err, code) => {
    expect(toConnectorError(Object.assign(new Error('smtp'), err)).code).toBe(code);
  });
});

describe('the reply subject', () => {
  const conversationId = '0194b7e2-aaaa-7bbb-8ccc-0a1b2c3d4e5f';

  it('answers with Re: and the conversation token, however many prefixes the thread piled up', () => {
    expect(replySubject('AW: Re: RE: Fwd: Where is my parcel? [#2c3d4e5f]', conversationId)).toBe('Re: Where is my parcel? [#2c3d4e5f]');
  });

  it('takes the token from the random end of the id, which differs between conversations of the same minute', () => {
    expect(conversationToken(conversationId)).toBe('2c3d4e5f');
    expect(tokenInSubject('Re: x [#2C3D4E5F]')).toBe('2c3d4e5f');
    expect(tokenInSubject('Re: invoice #12345')).toBeNull();
  });
});

describe('the reply body', () => {
  it('greets by first name, answers, links the sources, signs and quotes the question', () => {
    const { text, html } = composeReply({
      parts: [
        { type: 'text', text: 'Delivery to Austria takes 3-5 working days.' },
        { type: 'source', title: 'Delivery times', url: 'https://shop.test/help/delivery' },
      ],
      recipientName: 'Jane Doe',
      signature: 'Demo Shop Support',
      quoted: { text: 'How long does delivery take?', from: 'Jane Doe', date: new Date('2025-01-14T09:12:44Z') },
    });
    expect(text).toBe(
      'Hello Jane,\n\nDelivery to Austria takes 3-5 working days.\n\nMore on this:\n- Delivery times: https://shop.test/help/delivery\n\n' +
        '-- \nDemo Shop Support\n\nOn Tue, 14 Jan 2025 09:12:44 GMT, Jane Doe wrote:\n> How long does delivery take?\n',
    );
    expect(html).toContain('<a href="https://shop.test/help/delivery">Delivery times</a>');
    expect(html).toContain('<blockquote');
  });

  it('does not list a source whose link the answer already contains', () => {
    const { text } = composeReply({
      parts: [
        { type: 'text', text: 'See https://shop.test/help/delivery for details.' },
        { type: 'source', title: 'Delivery times', url: 'https://shop.test/help/delivery' },
      ],
      signature: 'S',
    });
    expect(text).not.toContain('More on this');
  });

  it('does not greet twice when the answer already greets, and escapes HTML in the answer', () => {
    const { text, html } = composeReply({ parts: [{ type: 'text', text: 'Hi Jane, use <b>code</b> & go.' }], signature: 'S' });
    expect(text.startsWith('Hi Jane,')).toBe(true);
    expect(html).toContain('use &lt;b&gt;code&lt;/b&gt; &amp; go.');
  });
});
