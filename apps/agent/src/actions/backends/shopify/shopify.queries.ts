/** Admin GraphQL documents (shapes from shopify.dev, Admin API 2025-10). */

/** What the agent reads of an order: identity, status, tracking, and each line's variant (for exchanges). */
const ORDER_FIELDS = `
      id
      name
      email
      phone
      createdAt
      cancelledAt
      displayFulfillmentStatus
      shippingAddress { zip phone }
      lineItems(first: 50) {
        nodes {
          id
          title
          quantity
          originalUnitPriceSet { shopMoney { amount } }
          variant { id selectedOptions { name value } product { id } }
        }
      }
      fulfillments(first: 10) { displayStatus trackingInfo(first: 5) { company number url } }`;

export const ORDER_BY_NAME = `#graphql
query OrderByName($query: String!) {
  orders(first: 1, query: $query) {
    nodes {${ORDER_FIELDS}
    }
  }
}`;

/** A customer's orders by the email they were placed with, newest first. */
export const ORDERS_BY_EMAIL = `#graphql
query OrdersByEmail($query: String!) {
  orders(first: 50, query: $query, sortKey: CREATED_AT, reverse: true) {
    nodes {${ORDER_FIELDS}
    }
  }
}`;

export const PRODUCT_VARIANTS = `#graphql
query ProductVariants($id: ID!) {
  product(id: $id) {
    variants(first: 250) { nodes { id title availableForSale price selectedOptions { name value } } }
  }
}`;

/**
 * An exchange: a return whose line items go back and whose exchange line items go out (Admin API
 * 2024-07+). The return is created open; the shop collects or refunds the price difference.
 */
export const RETURN_CREATE = `#graphql
mutation ReturnCreate($returnInput: ReturnInput!) {
  returnCreate(returnInput: $returnInput) {
    return { id status }
    userErrors { field message code }
  }
}`;

/** Refund to the original payment methods and restock: what a customer's own cancellation means. */
export const ORDER_CANCEL = `#graphql
mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, refundMethod: { originalPaymentMethodsRefund: true }, restock: true, notifyCustomer: true, staffNote: $staffNote) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}`;

export const ORDER_UPDATE_SHIPPING_ADDRESS = `#graphql
mutation OrderUpdateShippingAddress($input: OrderInput!) {
  orderUpdate(input: $input) {
    order { id shippingAddress { address1 zip } }
    userErrors { field message }
  }
}`;

/** What of an order can go back, by fulfillment line item (the id a return is made of). */
export const RETURNABLE_FULFILLMENTS = `#graphql
query ReturnableFulfillments($orderId: ID!) {
  returnableFulfillments(orderId: $orderId, first: 10) {
    nodes {
      returnableFulfillmentLineItems(first: 50) { nodes { quantity fulfillmentLineItem { id lineItem { id } } } }
    }
  }
}`;

/** A return the merchant approves or declines (status REQUESTED): what a customer may start alone. */
export const RETURN_REQUEST = `#graphql
mutation ReturnRequest($input: ReturnRequestInput!) {
  returnRequest(input: $input) {
    return { id status }
    userErrors { field message code }
  }
}`;

export interface ReturnableFulfillmentsData {
  returnableFulfillments: { nodes: { returnableFulfillmentLineItems: { nodes: { quantity: number; fulfillmentLineItem: { id: string; lineItem: { id: string } } }[] } }[] };
}

export interface ReturnCreateData {
  returnCreate: { return: { id: string; status: string } | null; userErrors: { field: string[] | null; message: string; code: string | null }[] } | null;
}

export interface ProductVariantsData {
  product: { variants: { nodes: { id: string; title: string; availableForSale: boolean; price: string; selectedOptions: { name: string; value: string }[] }[] } } | null;
}

export interface ReturnRequestData {
  returnRequest: { return: { id: string; status: string } | null; userErrors: { field: string[] | null; message: string; code: string | null }[] } | null;
}

export interface OrderNode {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  createdAt?: string;
  cancelledAt: string | null;
  displayFulfillmentStatus: string;
  shippingAddress: { zip: string | null; phone: string | null } | null;
  lineItems: {
    nodes: {
      id: string;
      title: string;
      quantity: number;
      originalUnitPriceSet?: { shopMoney: { amount: string } } | null;
      variant?: { id: string; selectedOptions: { name: string; value: string }[]; product: { id: string } } | null;
    }[];
  };
  fulfillments: { displayStatus: string | null; trackingInfo: { company: string | null; number: string | null; url: string | null }[] }[];
}

export interface OrderByNameData {
  orders: { nodes: OrderNode[] };
}

export interface OrderCancelData {
  orderCancel: { job: { id: string; done: boolean } | null; orderCancelUserErrors: { field: string[] | null; message: string; code: string | null }[] } | null;
}

export interface OrderUpdateData {
  orderUpdate: { order: { id: string } | null; userErrors: { field: string[] | null; message: string }[] } | null;
}

/**
 * An order edit (items of an order not shipped yet swapped for other variants): begin, set the old
 * lines' quantities, add the new variants, commit. The calculated order's lines carry their variant,
 * which tells which one stands for which order line.
 */
export const ORDER_EDIT_BEGIN = `#graphql
mutation OrderEditBegin($id: ID!) {
  orderEditBegin(id: $id) {
    calculatedOrder { id lineItems(first: 50) { nodes { id quantity variant { id } } } }
    userErrors { field message }
  }
}`;

export const ORDER_EDIT_SET_QUANTITY = `#graphql
mutation OrderEditSetQuantity($id: ID!, $lineItemId: ID!, $quantity: Int!) {
  orderEditSetQuantity(id: $id, lineItemId: $lineItemId, quantity: $quantity, restock: true) {
    calculatedOrder { id }
    userErrors { field message }
  }
}`;

export const ORDER_EDIT_ADD_VARIANT = `#graphql
mutation OrderEditAddVariant($id: ID!, $variantId: ID!, $quantity: Int!) {
  orderEditAddVariant(id: $id, variantId: $variantId, quantity: $quantity, allowDuplicates: true) {
    calculatedLineItem { id }
    userErrors { field message }
  }
}`;

export const ORDER_EDIT_COMMIT = `#graphql
mutation OrderEditCommit($id: ID!, $staffNote: String) {
  orderEditCommit(id: $id, notifyCustomer: true, staffNote: $staffNote) {
    order { id }
    userErrors { field message }
  }
}`;

type UserErrors = { field: string[] | null; message: string }[];

export interface OrderEditBeginData {
  orderEditBegin: { calculatedOrder: { id: string; lineItems: { nodes: { id: string; quantity: number; variant: { id: string } | null }[] } } | null; userErrors: UserErrors } | null;
}

/** The payload of each edit step: `orderEditSetQuantity`, `orderEditAddVariant` or `orderEditCommit`. */
export type OrderEditStepData = Record<string, { userErrors: UserErrors; order?: { id: string } | null } | null>;
