/**
 * What both emulators' controls say about the traffic they served and the faults they inject: the calls counted by
 * route, and the fault rules (added, listed, removed, cleared). Each emulator's control extends this with its own
 * service's knobs.
 */
import type { FaultInjector, FaultSpec } from '../salesforce-emulator/faults';

/** An emulator as far as this needs it: its call counts (`Calls`: what its snapshot says) and its fault rules. */
export interface Observed<Calls> {
  metrics: { snapshot(): Calls; reset(): void };
  faults: FaultInjector;
}

export class ObservedControl<Calls> {
  constructor(private readonly observed: Observed<Calls>) {}

  calls(): Calls {
    return this.observed.metrics.snapshot();
  }

  resetCalls(): void {
    this.observed.metrics.reset();
  }

  addFault(spec: FaultSpec) {
    return this.observed.faults.add(spec);
  }

  faults() {
    return this.observed.faults.list();
  }

  removeFault(id: string): boolean {
    return this.observed.faults.remove(id);
  }

  clearFaults(): void {
    this.observed.faults.clear();
  }
}
