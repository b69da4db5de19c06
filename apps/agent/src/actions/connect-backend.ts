import { DataSource } from 'typeorm';
import { describeZodError, newId } from '@cs/contracts';
import { SecretBox } from '@cs/config';
import { ActionBackendAccount } from '@cs/persistence';
import { ACTION_BACKENDS } from './backends';

export interface ConnectBackendInput {
  tenantId: string;
  backendId: string;
  name: string;
  settings: Record<string, unknown>;
  secrets: Record<string, unknown>;
}

/**
 * Connects a shop system to a tenant: settings and secrets validated by the plugin's schemas (a bad
 * one is refused here, not at the first customer's question), secrets sealed with SECRET_KEY.
 */
export async function connectActionBackend(ds: DataSource, secretKey: Buffer | string, input: ConnectBackendInput): Promise<ActionBackendAccount> {
  const definition = ACTION_BACKENDS.find((d) => d.id === input.backendId);
  if (!definition) throw new Error(`unknown action backend "${input.backendId}" (known: ${ACTION_BACKENDS.map((d) => d.id).join(', ')})`);
  const settings = definition.settings.safeParse(input.settings);
  if (!settings.success) throw new Error(`${definition.id} settings: ${describeZodError(settings.error)}`);
  const secrets = definition.secrets.safeParse(input.secrets);
  // The error names the missing field, never a value.
  if (!secrets.success) throw new Error(`${definition.id} secrets: ${describeZodError(secrets.error)}`);
  const repo = ds.getRepository(ActionBackendAccount);
  return repo.save(
    repo.create({
      id: newId(),
      tenantId: input.tenantId,
      backendId: definition.id,
      name: input.name,
      settings: settings.data as Record<string, unknown>,
      secretsEncrypted: new SecretBox(secretKey).seal(secrets.data as Record<string, unknown>),
      status: 'active',
    }),
  );
}
