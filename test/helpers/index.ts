// @cs/testing: what integration and e2e specs share. The services themselves come from
// scripts/test-services.sh (pretest) and global-setup.js (a fresh database and bus prefix per run).
export * from './wait-for';
export * from './free-port';
export * from './test-env';
export * from './spawn-app';
export * from './private-services';
export * from './test-storage';
export * from './browser';
