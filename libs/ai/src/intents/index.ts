export * from './intent-classifier';
export * from './oos-threshold';
export * from './softmax-regression';
export * from './text-features';
export * from './builtin-intents.data';
export * from './builtin-intent-classifier';
export * from './background-off-topic.data';
export * from './tenant-intent-classifier';
