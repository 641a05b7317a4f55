import { afterAll, describe } from 'vitest';
import { MongoClient } from 'mongodb';
import { runStoreContract } from '../contract.js';
import { createMongoStore } from './mongo-store.js';

// No MongoDB server can be installed on the machines this project is built on,
// so the contract suite runs only when MONGO_URL points at one (for example
// `MONGO_URL=mongodb://127.0.0.1:27017 pnpm vitest run server/src/store/mongo`).
// Without it, mongo-compile.test.ts still checks every compiled filter, sort
// and pipeline with mingo on the same fixtures.
const url = process.env.MONGO_URL;

describe.skipIf(!url)('MongoDB store (MONGO_URL)', () => {
  const run = `trellis_contract_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const databases: string[] = [];

  // every store the suite asks for gets a fresh database, dropped after the run
  runStoreContract('mongo', async () => {
    const dbName = `${run}_${databases.length}`;
    databases.push(dbName);
    const store = await createMongoStore({ url: url!, dbName });
    await store.migrate();
    return store;
  });

  afterAll(async () => {
    const client = new MongoClient(url!);
    try {
      await client.connect();
      for (const name of databases) await client.db(name).dropDatabase();
    } finally {
      await client.close();
    }
  });
});
