/** The simulated orchestrator application and its database helpers. */
export { startApp, type RunningApp } from './server';
export { readSchemaVersion, countWorkflows, prepareAppDatabase, MIGRATIONS, backupStamp } from './database';
export { profileFor, RequestMetrics, BUCKETS } from './traffic';
