/**
 * The data sets: a total record count split Contacts:Accounts ≈ 10:1 (10,000 = 9,091 Contacts + 909 Accounts),
 * seeded deterministically by the emulator (same seed, same rows), and which records an incremental tick changes
 * (1 %) and deletes (0.1 %) — evenly spaced, so every run touches the same ones.
 */
export interface Volume {
  /** label in reports: 10k, 100k, 1M */
  label: string;
  total: number;
  accounts: number;
  contacts: number;
}

export function volume(total: number): Volume {
  const accounts = Math.round(total / 11);
  const label = total >= 1_000_000 ? `${total / 1_000_000}M` : `${total / 1000}k`;
  return { label, total, accounts, contacts: total - accounts };
}

export const DEFAULT_VOLUMES = [volume(10_000), volume(100_000)];
export const MILLION = volume(1_000_000);

/** The emulator's data seed: fixed, so every run reads the same rows. */
export const DATA_SEED = 7;

export const CHANGED_SHARE = 0.01;
export const DELETED_SHARE = 0.001;

/** `count` indexes spread evenly over `n` rows, starting at `offset` within the first stride. */
export function evenlySpaced(n: number, count: number, offset = 0): number[] {
  if (count <= 0 || n <= 0) return [];
  const stride = n / count;
  return Array.from({ length: count }, (_, i) => Math.min(n - 1, Math.floor(i * stride + offset * stride)));
}

/** What the incremental tick does: 1 % of each table changed, 0.1 % of all records deleted (Contacts only). */
export function mutationPlan(v: Volume) {
  const changedContacts = evenlySpaced(v.contacts, Math.round(v.contacts * CHANGED_SHARE));
  const taken = new Set(changedContacts);
  // Deleting an Account sends its Contacts to the recycle bin too, so deletes are of Contacts (keeping the share
  // exact), never ones also changed: the next free row after each evenly spaced one.
  const deletedContacts = evenlySpaced(v.contacts, Math.round(v.total * DELETED_SHARE), 0.5).map((index) => {
    let i = index;
    while (taken.has(i)) i = (i + 1) % v.contacts;
    taken.add(i);
    return i;
  });
  return { changedContacts, changedAccounts: evenlySpaced(v.accounts, Math.round(v.accounts * CHANGED_SHARE)), deletedContacts };
}
