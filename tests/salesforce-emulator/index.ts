/**
 * The Salesforce emulator's public entry: `startEmulator(options)` and the types around it. See README.md.
 */
export { startEmulator, type RunningEmulator, type StartOptions } from './server';
export { EmulatorControl, type NewUser } from './control/control';
export type { EmulatorOptions } from './emulator';
export type { SeedOptions } from './seed';
export type { OrgSwitches } from './org/org';
export type { FaultSpec } from './faults';
export type { ClientApp } from './org/apps';
