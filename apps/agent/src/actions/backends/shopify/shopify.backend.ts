import { createAdminApiClient, type AdminApiClient } from '@shopify/admin-api-client';
import {
  ActionBackendError,
  type ActionBackend,
  type MutationResult,
  type ProductVariant,
  type RefundMethod,
  type ShippingAddress,
  type ShopOrder,
} from '../../action-backend';
import {
  ORDER_BY_NAME,
  ORDER_EDIT_ADD_VARIANT,
  ORDER_EDIT_BEGIN,
  ORDER_EDIT_COMMIT,
  ORDER_EDIT_SET_QUANTITY,
  ORDERS_BY_EMAIL,
  PRODUCT_VARIANTS,
  RETURN_CREATE,
  ORDER_CANCEL,
  ORDER_UPDATE_SHIPPING_ADDRESS,
  RETURN_REQUEST,
  RETURNABLE_FULFILLMENTS,
  type OrderByNameData,
  type OrderEditBeginData,
  type OrderEditStepData,
  type ReturnableFulfillmentsData,
  type ReturnRequestData,
  type OrderCancelData,
  type OrderNode,
  type OrderUpdateData,
  type ProductVariantsData,
  type ReturnCreateData,
} from './shopify.queries';

export interface ShopifyBackendOptions {
  shopDomain: string;
  apiVersion: string;
  accessToken: string;
  apiBaseUrl?: string;
  timeoutMs?: number;
}

/**
 * A Shopify store through the official Admin API client. The client always speaks https to the shop's
 * domain; `apiBaseUrl` (a proxy, our fake in tests) replaces the origin and keeps the path.
 */
export class ShopifyActionBackend implements ActionBackend {
  private readonly client: AdminApiClient;

  constructor(options: ShopifyBackendOptions) {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const base = options.apiBaseUrl?.replace(/\/+$/, '');
    this.client = createAdminApiClient({
      storeDomain: options.shopDomain,
      apiVersion: options.apiVersion,
      accessToken: options.accessToken,
      userAgentPrefix: 'cs-agent',
      // Mutations are never retried by the client: a cancel that timed out may have happened.
      retries: 0,
      // An API version past Shopify's support window still answers for a while; the shop's owner picks it.
      logger: () => undefined,
      customFetchApi: (url, init) => {
        const target = base ? `${base}${new URL(url).pathname}` : url;
        return fetch(target, { ...init, signal: AbortSignal.timeout(timeoutMs) } as RequestInit);
      },
    });
  }

  async findOrder(number: string): Promise<ShopOrder | null> {
    const name = number.startsWith('#') ? number : `#${number}`;
    // Shopify's search syntax: a quoted value is matched whole.
    const data = await this.request<OrderByNameData>(ORDER_BY_NAME, { query: `name:"${name.replace(/"/g, '')}"` });
    const node = data.orders.nodes.find((n) => n.name.toUpperCase() === name.toUpperCase());
    return node ? toOrder(node) : null;
  }

  async findOrdersByEmail(email: string): Promise<ShopOrder[]> {
    const data = await this.request<OrderByNameData>(ORDERS_BY_EMAIL, { query: `email:"${email.replace(/"/g, '')}"` });
    // Shopify's search is fuzzy on some fields: only the orders placed with exactly this address.
    return data.orders.nodes.filter((n) => n.email?.toLowerCase() === email.toLowerCase()).map(toOrder);
  }

  async productVariants(productId: string): Promise<ProductVariant[]> {
    const data = await this.request<ProductVariantsData>(PRODUCT_VARIANTS, { id: productId });
    return (data.product?.variants.nodes ?? []).map((v) => ({
      id: v.id,
      title: v.title,
      available: v.availableForSale,
      price: Number(v.price),
      options: Object.fromEntries(v.selectedOptions.map((o) => [o.name, o.value])),
    }));
  }

  async cancelOrder(order: ShopOrder, reason: 'customer' | 'other', idempotencyKey: string, customerReason?: string): Promise<MutationResult> {
    const why = customerReason ? ` Customer's reason: ${customerReason}.` : '';
    const data = await this.request<OrderCancelData>(ORDER_CANCEL, {
      orderId: order.id,
      reason: reason === 'customer' ? 'CUSTOMER' : 'OTHER',
      staffNote: `Cancelled by the support agent at the customer's request (action ${idempotencyKey}).${why}`,
    });
    const payload = data.orderCancel;
    if (!payload || payload.orderCancelUserErrors.length > 0) {
      throw new ActionBackendError('rejected', payload?.orderCancelUserErrors.map((e) => e.message).join('; ') || 'orderCancel returned nothing');
    }
    // The cancel runs as a job; it is done only once the order says it is cancelled.
    const after = await this.findOrder(order.number);
    return { state: after?.status === 'cancelled' ? 'done' : 'pending', reference: payload.job?.id };
  }

  /** Setting the same address twice leaves the same order: safe to repeat, so the key is not sent. */
  async changeShippingAddress(order: ShopOrder, address: ShippingAddress, _idempotencyKey: string): Promise<MutationResult> {
    const data = await this.request<OrderUpdateData>(ORDER_UPDATE_SHIPPING_ADDRESS, {
      input: {
        id: order.id,
        shippingAddress: { address1: address.address1, address2: address.address2, city: address.city, zip: address.zip, province: address.province, country: address.country },
      },
    });
    const payload = data.orderUpdate;
    if (!payload?.order || payload.userErrors.length > 0) {
      throw new ActionBackendError('rejected', payload?.userErrors.map((e) => e.message).join('; ') || 'orderUpdate returned no order');
    }
    return { state: 'done', reference: payload.order.id };
  }

  /**
   * A return request (`returnRequest`): Shopify returns are made of fulfillment line items, found from
   * the order's line items. The merchant approves it, so it is `pending`, never `done`; the refund
   * method the customer chose goes in the note, as Shopify decides the refund at approval.
   */
  async requestReturn(order: ShopOrder, items: { id: string; quantity: number }[], refundMethod: RefundMethod, _idempotencyKey: string): Promise<MutationResult> {
    const lines = await this.fulfillmentLines(order, items);
    const returnLineItems = lines.map(({ fulfillmentLineItemId, quantity }) => ({
      fulfillmentLineItemId,
      quantity,
      returnReason: 'OTHER',
      customerNote: `Refund to: ${refundTo(refundMethod)}.`,
    }));
    const data = await this.request<ReturnRequestData>(RETURN_REQUEST, { input: { orderId: order.id, returnLineItems } });
    const payload = data.returnRequest;
    if (!payload?.return || payload.userErrors.length > 0) {
      throw new ActionBackendError('rejected', payload?.userErrors.map((e) => e.message).join('; ') || 'returnRequest returned no return');
    }
    return { state: 'pending', reference: payload.return.id };
  }

  /**
   * An exchange (`returnCreate` with exchange line items): the items go back, the new variants go out
   * once the shop processes the return, so it is `pending`. Where the price difference goes is in the
   * reason note, as Shopify settles it when the return is processed.
   */
  async exchange(order: ShopOrder, items: { id: string; quantity: number; newVariantId: string }[], _idempotencyKey: string, payment: RefundMethod = 'original_payment'): Promise<MutationResult> {
    const lines = await this.fulfillmentLines(order, items);
    const data = await this.request<ReturnCreateData>(RETURN_CREATE, {
      returnInput: {
        orderId: order.id,
        returnLineItems: lines.map(({ fulfillmentLineItemId, quantity }) => ({
          fulfillmentLineItemId,
          quantity,
          returnReason: 'OTHER',
          returnReasonNote: `Exchange; price difference to or from: ${refundTo(payment)}.`,
        })),
        exchangeLineItems: items.map((i) => ({ variantId: i.newVariantId, quantity: i.quantity })),
      },
    });
    const payload = data.returnCreate;
    if (!payload?.return || payload.userErrors.length > 0) {
      throw new ActionBackendError('rejected', payload?.userErrors.map((e) => e.message).join('; ') || 'returnCreate returned no return');
    }
    return { state: 'pending', reference: payload.return.id };
  }

  /**
   * Items of an unfulfilled order swapped for other variants, as one order edit: the old lines' quantity
   * lowered, the new variants added, then committed. Only a commit changes the order; an edit left
   * uncommitted expires on Shopify's side. Where the price difference goes is in the staff note.
   */
  async modifyItems(order: ShopOrder, items: { id: string; quantity: number; newVariantId: string }[], idempotencyKey: string, payment: RefundMethod = 'original_payment'): Promise<MutationResult> {
    const begun = (await this.request<OrderEditBeginData>(ORDER_EDIT_BEGIN, { id: order.id })).orderEditBegin;
    const edit = begun?.calculatedOrder;
    if (!edit || (begun?.userErrors.length ?? 0) > 0) throw new ActionBackendError('rejected', begun?.userErrors.map((e) => e.message).join('; ') || 'orderEditBegin returned no order');
    const step = async (query: string, field: string, variables: Record<string, unknown>) => {
      const payload = (await this.request<OrderEditStepData>(query, { id: edit.id, ...variables }))[field];
      if (!payload || payload.userErrors.length > 0) throw new ActionBackendError('rejected', payload?.userErrors.map((e) => e.message).join('; ') || `${field} returned nothing`);
      return payload;
    };
    for (const item of items) {
      const variantId = order.items.find((i) => i.id === item.id)?.variantId;
      const line = edit.lineItems.nodes.find((l) => l.variant?.id === variantId && l.quantity >= item.quantity);
      if (!variantId || !line) throw new ActionBackendError('rejected', `item ${item.id} cannot be changed`);
      line.quantity -= item.quantity;
      await step(ORDER_EDIT_SET_QUANTITY, 'orderEditSetQuantity', { lineItemId: line.id, quantity: line.quantity });
      await step(ORDER_EDIT_ADD_VARIANT, 'orderEditAddVariant', { variantId: item.newVariantId, quantity: item.quantity });
    }
    const staffNote = `Items changed by the support agent at the customer's request (action ${idempotencyKey}); price difference to or from: ${refundTo(payment)}.`;
    const committed = await step(ORDER_EDIT_COMMIT, 'orderEditCommit', { staffNote });
    return { state: 'done', reference: committed.order?.id ?? order.id };
  }

  /** The fulfillment line item each order line is returned as; an item not returnable (yet, or any more) is refused. */
  private async fulfillmentLines(order: ShopOrder, items: { id: string; quantity: number }[]): Promise<{ fulfillmentLineItemId: string; quantity: number }[]> {
    const returnable = await this.request<ReturnableFulfillmentsData>(RETURNABLE_FULFILLMENTS, { orderId: order.id });
    const lines = returnable.returnableFulfillments.nodes.flatMap((f) => f.returnableFulfillmentLineItems.nodes);
    return items.map((item) => {
      const line = lines.find((l) => l.fulfillmentLineItem.lineItem.id === item.id && l.quantity >= item.quantity);
      if (!line) throw new ActionBackendError('rejected', `item ${item.id} cannot be returned`);
      return { fulfillmentLineItemId: line.fulfillmentLineItem.id, quantity: item.quantity };
    });
  }

  private async request<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    let response: Awaited<ReturnType<AdminApiClient['request']>>;
    try {
      response = await this.client.request<T>(query, { variables });
    } catch (err) {
      throw new ActionBackendError('unavailable', `Shopify unreachable: ${(err as Error).message}`);
    }
    const { data, errors } = response;
    if (errors) {
      const status = errors.networkStatusCode;
      const code = status === 401 || status === 403 ? 'unauthorized' : status && status < 500 && status !== 429 && errors.graphQLErrors?.length ? 'rejected' : 'unavailable';
      throw new ActionBackendError(code, `Shopify ${status ?? ''} ${errors.message ?? ''}`.trim());
    }
    if (!data) throw new ActionBackendError('unavailable', 'Shopify returned no data');
    return data as T;
  }
}

function toOrder(node: OrderNode): ShopOrder {
  const tracking = node.fulfillments.flatMap((f) =>
    f.trackingInfo.filter((t) => t.number).map((t) => ({ number: t.number as string, company: t.company ?? undefined, url: t.url ?? undefined })),
  );
  const delivered = node.fulfillments.length > 0 && node.fulfillments.every((f) => f.displayStatus === 'DELIVERED');
  const shipped = node.fulfillments.length > 0 || ['FULFILLED', 'PARTIALLY_FULFILLED', 'IN_PROGRESS'].includes(node.displayFulfillmentStatus);
  return {
    id: node.id,
    number: node.name,
    email: node.email,
    phone: node.phone ?? node.shippingAddress?.phone ?? null,
    zip: node.shippingAddress?.zip ?? null,
    status: node.cancelledAt ? 'cancelled' : delivered ? 'delivered' : shipped ? 'shipped' : 'open',
    items: node.lineItems.nodes.map((i) => ({
      id: i.id,
      title: i.title,
      quantity: i.quantity,
      ...(i.variant
        ? { variantId: i.variant.id, productId: i.variant.product.id, options: Object.fromEntries(i.variant.selectedOptions.map((o) => [o.name, o.value])) }
        : {}),
      ...(i.originalUnitPriceSet ? { price: Number(i.originalUnitPriceSet.shopMoney.amount) } : {}),
    })),
    tracking,
    ...(node.createdAt ? { placedAt: node.createdAt } : {}),
  };
}

function refundTo(method: RefundMethod): string {
  return method === 'store_credit' ? 'store credit' : 'original payment method';
}
