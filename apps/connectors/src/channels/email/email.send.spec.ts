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
    expect(replySubject('AW: Re: RE: Fwd: Where is my parcel? [#2c3d4e5f]', conversationId, 'Your message')).toBe('Re: Where is my parcel? [#2c3d4e5f]');
  });

  it('stands the given words in for an empty subject', () => {
    expect(replySubject('AW: ', conversationId, 'Ihre Nachricht')).toBe('Re: Ihre Nachricht [#2c3d4e5f]');
  });

  it('takes the token from the random end of the id, which differs between conversations of the same minute', () => {
    expect(conversationToken(conversationId)).toBe('2c3d4e5f');
    expect(tokenInSubject('Re: x [#2C3D4E5F]')).toBe('2c3d4e5f');
    expect(tokenInSubject('Re: invoice #12345')).toBeNull();
  });
});
