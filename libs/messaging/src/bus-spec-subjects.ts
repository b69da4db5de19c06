import type { BusSubject, Durable, Live, RequestReply } from '@cs/contracts';

/**
 * For libs/messaging's own specs only (index.ts does not export it): they test how the bus treats
 * subjects as such (wildcards, streams, dead letters, refusals) on made-up subjects that are no
 * entry of the product's map, or send a real subject what its entry would not allow. Every other
 * caller makes subjects with `BusSubjects` from libs/contracts.
 */
export const specSubject = {
  durable: (raw: string) => raw as BusSubject<Durable<unknown>>,
  live: (raw: string) => raw as BusSubject<Live<unknown>>,
  request: (raw: string) => raw as BusSubject<RequestReply<unknown, unknown>>,
};
