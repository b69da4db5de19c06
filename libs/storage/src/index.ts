export * from './object-storage';
export * from './local-folder.storage';
export * from './s3.storage';
export * from './storage-factory';
export * from './file-types';
export * from './attachment-store';
export * from './orphan-files';
