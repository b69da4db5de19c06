import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { z } from 'zod';
import type { ChannelConnector, ConnectorDescription } from '@cs/contracts';

/** Every connector instance, registered once under one token (built from the CONNECTORS list). */
export const CHANNEL_CONNECTORS = Symbol('CHANNEL_CONNECTORS');

/** What the admin console needs to render a connector's settings form (the reply of `connectors.definitions`). */
export type { ConnectorDescription };

/**
 * A connector that answers its own request subject (`webhook.<id>`) with a payload the gateway
 * already shaped, instead of a raw HTTP request: the web chat socket, the API channel.
 */
export interface RequestConnector extends ChannelConnector {
  handleRequest(payload: unknown): Promise<unknown>;
}

export function isRequestConnector(c: ChannelConnector): c is RequestConnector {
  return typeof (c as Partial<RequestConnector>).handleRequest === 'function';
}

@Injectable()
export class ConnectorRegistry {
  private readonly byId: Map<string, ChannelConnector>;

  constructor(@Inject(CHANNEL_CONNECTORS) connectors: ChannelConnector[]) {
    this.byId = new Map();
    for (const connector of connectors) {
      const id = connector.definition.id;
      if (this.byId.has(id)) throw new Error(`connector id "${id}" is registered twice`);
      this.byId.set(id, connector);
    }
  }

  all(): ChannelConnector[] {
    return [...this.byId.values()];
  }

  find(id: string): ChannelConnector | undefined {
    return this.byId.get(id);
  }

  get(id: string): ChannelConnector {
    const connector = this.byId.get(id);
    if (!connector) throw new NotFoundException(`unknown connector "${id}"`);
    return connector;
  }

  /** Validates settings against the connector's schema (the admin console calls this before saving). */
  validateSettings(id: string, settings: unknown): Record<string, unknown> {
    return this.get(id).definition.settings.parse(settings) as Record<string, unknown>;
  }

  describe(id: string): ConnectorDescription {
    const c = this.get(id);
    const d = c.definition;
    return {
      id: d.id,
      channel: d.channel,
      displayName: d.displayName,
      capabilities: d.capabilities,
      settingsSchema: z.toJSONSchema(d.settings, { unrepresentable: 'any' }) as Record<string, unknown>,
      inbound: isRequestConnector(c) ? 'request' : c.receive ? 'webhook' : c.start ? 'polling' : 'none',
    };
  }

  definitions(): ConnectorDescription[] {
    return this.all().map((c) => this.describe(c.definition.id));
  }
}
