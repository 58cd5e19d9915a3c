/**
 * The pure decision core: no framework, no I/O, no clock, no environment. Safe on every runtime.
 * @packageDocumentation
 */
export * from './errors';
export * from './duration';
export * from './methods';
export * from './policy';
export * from './claims';
export * from './ledger-entry';
export * from './ledger-lookup';
export * from './decision';
export * from './evaluate';
export * from './return-to';
export * from './step-up-response';
