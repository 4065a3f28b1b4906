/**
 * The Dataverse emulator's public entry: `startDataverseEmulator(options)` and the types around it. See README.md.
 */
export { startDataverseEmulator, type RunningDataverseEmulator, type StartOptions } from './server';
export { DataverseControl, type NewApp, type StoredRow } from './control/control';
export { DEMO_TEAMS, type DataverseEmulatorOptions, type Switches } from './emulator';
export type { SeedOptions } from './seed';
export type { FaultSpec } from './faults';
export type { ServiceProtectionLimits } from './webapi/throttle';
