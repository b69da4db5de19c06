// Used only by `typeorm migration:generate` during development.
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../data-source';

export default new DataSource(dataSourceOptions({ databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cs_gen' }));
