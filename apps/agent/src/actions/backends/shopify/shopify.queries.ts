/** Admin GraphQL documents (shapes from shopify.dev, Admin API 2025-10). */

export const ORDER_BY_NAME = `#graphql
query OrderByName($query: String!) {
  orders(first: 1, query: $query) {
    nodes {
      id
      name
      email
      phone
      cancelledAt
      displayFulfillmentStatus
      shippingAddress { zip phone }
      lineItems(first: 50) { nodes { id title quantity } }
      fulfillments(first: 10) { displayStatus trackingInfo(first: 5) { company number url } }
    }
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

export interface ReturnRequestData {
  returnRequest: { return: { id: string; status: string } | null; userErrors: { field: string[] | null; message: string; code: string | null }[] } | null;
}

export interface OrderNode {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  cancelledAt: string | null;
  displayFulfillmentStatus: string;
  shippingAddress: { zip: string | null; phone: string | null } | null;
  lineItems: { nodes: { id: string; title: string; quantity: number }[] };
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
