import { readFileSync } from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

interface Manifest {
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url: string } };
}

const manifest = parse(readFileSync(path.resolve(__dirname, '../../../../../slack-app-manifest.yml'), 'utf8')) as Manifest;

describe('the Slack app manifest', () => {
  it('subscribes to the events the connector reads, at the URLs the gateway serves', () => {
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(
      ['app_uninstalled', 'message.channels', 'message.groups', 'reaction_added', 'tokens_revoked'].sort(),
    );
    expect(new URL(manifest.settings.event_subscriptions.request_url).pathname).toBe('/hooks/slack/events');
    expect(manifest.settings.interactivity).toMatchObject({ is_enabled: true });
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe('/hooks/slack/interactions');
  });

  it('asks for exactly the scopes of the Web API methods and events used', () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(
      ['channels:history', 'groups:history', 'chat:write', 'chat:write.customize', 'reactions:read', 'reactions:write', 'users:read'].sort(),
    );
  });
});
