import type { ActionBackendDefinition } from '../action-backend';
import { httpBackendDefinition } from './http/http.definition';
import { shopifyBackendDefinition } from './shopify/shopify.definition';

/** Every backend plugin, once: a new backend is a folder here and one line in this list. */
export const ACTION_BACKENDS: readonly ActionBackendDefinition[] = [shopifyBackendDefinition, httpBackendDefinition];
