import { ChannelConnector } from '@cs/contracts';
import { ConnectorRegistry } from '../../registry/connector-registry.service';
import { secretFieldNames } from '../../registry/settings-secrets';
import { twilioVoiceSettingsSchema } from '../twilio-voice/twilio-voice.definition';
import { twilioSmsDefinition, twilioSmsSettingsSchema } from './twilio-sms.definition';

const connector: ChannelConnector = { definition: twilioSmsDefinition, send: async (m) => ({ externalMessageId: m.messageId }) };
const valid = { accountSid: 'AC' + 'a'.repeat(32), authToken: 'b'.repeat(32), phoneNumbers: ['+14155550199'] };

describe('the Twilio SMS settings form', () => {
  it('titles and describes every field, and flags the Auth Token as a secret', () => {
    const [description] = new ConnectorRegistry([connector]).definitions();
    const properties = description.settingsSchema.properties as Record<string, { title?: string; description?: string; secret?: boolean }>;
    expect(Object.keys(properties)).toEqual(['accountSid', 'authToken', 'phoneNumbers', 'messagingServiceSid', 'helpText', 'maxSegments']);
    for (const field of Object.values(properties)) expect(field).toMatchObject({ title: expect.any(String), description: expect.any(String) });
    expect(properties.authToken.secret).toBe(true);
    // What the console and CHANNELS_FILE seal at rest, for texts and for calls.
    expect(secretFieldNames(twilioSmsSettingsSchema)).toEqual(['authToken']);
    expect(secretFieldNames(twilioVoiceSettingsSchema)).toEqual(['authToken']);
    expect(description).toMatchObject({ id: 'twilio-sms', channel: 'sms', displayName: 'SMS (Twilio)' });
  });

  it('fills the help text and a limit of 3 segments by default', () => {
    expect(new ConnectorRegistry([connector]).validateSettings('twilio-sms', valid)).toMatchObject({ maxSegments: 3, helpText: expect.stringContaining('STOP') });
  });

  it('needs a number or a Messaging Service to send from, and names a malformed one', () => {
    const registry = new ConnectorRegistry([connector]);
    expect(() => registry.validateSettings('twilio-sms', { ...valid, phoneNumbers: [] })).toThrow(/phone number or a Messaging Service/);
    expect(() => registry.validateSettings('twilio-sms', { ...valid, phoneNumbers: ['0415 555 0199'] })).toThrow(/E\.164/);
    expect(registry.validateSettings('twilio-sms', { ...valid, phoneNumbers: [], messagingServiceSid: 'MG' + 'c'.repeat(32) })).toMatchObject({
      messagingServiceSid: 'MG' + 'c'.repeat(32),
    });
  });
});
