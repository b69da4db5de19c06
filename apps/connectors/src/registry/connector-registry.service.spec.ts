import type { ChannelConnector } from '@cs/contracts';
import { apiDefinition } from '../channels/api/api.definition';
import { webchatDefinition } from '../channels/webchat/webchat.definition';
import { ConnectorRegistry } from './connector-registry.service';

const plain = (definition: ChannelConnector['definition']): ChannelConnector => ({
  definition,
  send: async (m) => ({ externalMessageId: m.messageId }),
});

describe('the connector registry', () => {
  it('finds a connector by id and says when there is none', () => {
    const registry = new ConnectorRegistry([plain(webchatDefinition), plain(apiDefinition)]);
    expect(registry.get('api').definition.channel).toBe('api');
    expect(registry.find('fax')).toBeUndefined();
    expect(() => registry.get('fax')).toThrow(/unknown connector "fax"/);
  });

  it('refuses two connectors with the same id', () => {
    expect(() => new ConnectorRegistry([plain(webchatDefinition), plain(webchatDefinition)])).toThrow(/registered twice/);
  });

  it('describes every settings field with a title and a description for the admin form', () => {
    const [webchat] = new ConnectorRegistry([plain(webchatDefinition)]).definitions();
    const properties = webchat.settingsSchema.properties as Record<string, { title?: string; description?: string }>;
    expect(Object.keys(properties)).toEqual(['widgetTitle', 'greeting', 'allowedOrigins']);
    for (const field of Object.values(properties)) {
      expect(field.title).toEqual(expect.any(String));
      expect(field.description).toEqual(expect.any(String));
    }
    expect(webchat).toMatchObject({ id: 'webchat', displayName: 'Web chat', capabilities: { maxTextLength: 4000, typing: true } });
  });

  it('validates settings against the connector schema, filling defaults', () => {
    const registry = new ConnectorRegistry([plain(webchatDefinition)]);
    expect(registry.validateSettings('webchat', {})).toEqual({
      widgetTitle: 'Chat with us',
      greeting: 'Hi! How can we help you today?',
      allowedOrigins: [],
    });
    expect(() => registry.validateSettings('webchat', { allowedOrigins: ['not a url'] })).toThrow();
  });
});
