export * from './bus';
export * from './bus-context';
export * from './bus-transport';
export * from './in-process-bus';
export * from './nats-bus';
export * from './messaging.module';
export { subjectMatches, deadLetterSubject } from './subject-match';
