/**
 * What the emulators' command lines share: whole-number options, and serving until Ctrl+C (or SIGTERM) closes the
 * emulator, with a start-up failure said in one line and exit code 1.
 */

/** `--name`'s value as a whole number ≥ 0, or an error that names the option and what was given. */
export function wholeNumber(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${text}".`);
  return n;
}

/** Runs `start` (which returns the emulator it started, or nothing when it only printed help) until a signal stops it. */
export function serveUntilStopped(start: () => Promise<{ close(): Promise<void> } | undefined>): void {
  start()
    .then((emulator) => {
      if (!emulator) return;
      const stop = () => void emulator.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
