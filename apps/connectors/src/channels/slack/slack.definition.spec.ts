import { ConnectorRegistry } from '../../registry/connector-registry.service';
import { secretFieldNames } from '../../registry/settings-secrets';
import { slackDefinition, slackSettingsSchema } from './slack.definition';

describe('the Slack settings form', () => {
  const registry = new ConnectorRegistry([{ definition: slackDefinition, send: async (m) => ({ externalMessageId: m.messageId }) }]);

  it('titles and describes every field, and keeps the tokens and the signing secret encrypted', () => {
    const properties = registry.describe('slack').settingsSchema.properties as Record<string, { title?: string; description?: string }>;
    expect(Object.keys(properties)).toEqual(['botToken', 'signingSecret', 'appToken', 'teamId', 'supportChannels', 'internalChannels']);
    for (const field of Object.values(properties)) expect(field).toMatchObject({ title: expect.any(String), description: expect.any(String) });
    expect(secretFieldNames(slackSettingsSchema).sort()).toEqual(['appToken', 'botToken', 'signingSecret']);
  });

  it('needs a signing secret for events over HTTP or an app-level token for Socket Mode', () => {
    const base = { botToken: 'xoxb-1-2', teamId: 'T0SHOP' };
    expect(() => registry.validateSettings('slack', base)).toThrow(/signing secret|app-level token/);
    expect(registry.validateSettings('slack', { ...base, signingSecret: 'abcdef123456' })).toMatchObject({ supportChannels: [], internalChannels: [] });
    expect(registry.validateSettings('slack', { ...base, appToken: 'xapp-1-A0-1' })).toMatchObject({ teamId: 'T0SHOP' });
    expect(() => registry.validateSettings('slack', { ...base, signingSecret: 'abcdef123456', supportChannels: ['general'] })).toThrow(/channel id/);
  });
});
