/**
 * The Salesforce emulator in a process of its own for the benchmark, so the org's work (SOQL, JSON, CSV) never
 * shares a thread with the client being measured. Prints one JSON line `{ url }` once listening; SIGTERM stops it.
 */
import { startEmulator } from '../salesforce-emulator';

const emulator = await startEmulator({ port: 0 });
process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);
const stop = () => void emulator.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
