import twilio from 'twilio';

/** `https://x` → `wss://x`: Twilio opens Media Streams over secure WebSockets only (ws:// for local tests). */
export function mediaStreamUrl(publicUrl: string, connectorId: string, channelAccountId: string): string {
  return `${publicUrl.replace(/\/+$/, '').replace(/^http/, 'ws')}/hooks/${connectorId}/${channelAccountId}/media`;
}

/**
 * The answer to an incoming call: the tenant's greeting, then a bidirectional Media Stream
 * (`<Connect><Stream>`) that keeps the call open while we listen and speak.
 */
export function answerCallTwiml(greeting: string, streamUrl: string, params: Record<string, string>): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(greeting);
  const stream = response.connect().stream({ url: streamUrl });
  for (const [name, value] of Object.entries(params)) stream.parameter({ name, value });
  return response.toString();
}

/** A warm transfer: the caller hears why, then the call is bridged to the tenant's number. */
export function transferTwiml(number: string, callerId?: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say('Please hold while I connect you to a member of our team.');
  response.dial(callerId ? { callerId } : {}, number);
  return response.toString();
}

export function sayAndHangUpTwiml(text: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(text);
  response.hangup();
  return response.toString();
}

/** Outside business hours: a voicemail. The recording is posted to `actionUrl` when the caller hangs up or presses #. */
export function voicemailTwiml(prompt: string, actionUrl: string, maxLengthS = 120): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(prompt);
  response.record({ action: actionUrl, method: 'POST', maxLength: maxLengthS, playBeep: true, finishOnKey: '#' });
  response.say('We did not get a message. Goodbye.');
  return response.toString();
}
