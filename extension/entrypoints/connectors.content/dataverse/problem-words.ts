/**
 * The Worker's Dataverse refusals, worded for the panel: its messages are written for API callers too, so pointers
 * such as "(GET /api/dataverse-connections/…)" become what to do here, and what Entra ID or Dataverse answered
 * verbatim (an AADSTS or 0x… code with its text) is kept apart, under Details, so the fix stays in view.
 */
import type { Problem } from '../../../utils/messages';

export interface PanelWords {
  /** what happened, in one sentence */
  head: string;
  /** what to do about it (may be empty) */
  advice: string;
  /** the service's own answer, verbatim, when there was one */
  detail: string | null;
}

/** Per code, what to do in the panel where the Worker's advice names an API route. */
const ADVICE: Record<string, string> = {
  dataverse_column_missing: 'Go back to Column mapping and leave those columns unmapped, or create them in Power Apps first.',
  dataverse_team_not_found: 'Pick a team from the list again: it may have been deleted in the environment.',
  dataverse_connection_not_found: 'It may have been removed: reload the panel.',
};

export function panelWords(problem: Problem): PanelWords {
  const { text, detail } = takeServiceAnswer(problem.message);
  const clean = text
    .replace(/\s*\([^()]*\/api\/[^()]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const split = /^(.+?[.!?])\s+(.*)$/.exec(clean);
  const head = split ? split[1]! : clean;
  const rest = split ? split[2]! : '';
  const advice = ADVICE[problem.code] ?? rest.split(/(?<=[.!?])\s+/).filter((sentence) => !sentence.includes('/api/')).join(' ');
  return { head, advice, detail };
}

/** Cuts the first parenthetical that holds Entra ID's or Dataverse's own answer out of the message. */
function takeServiceAnswer(message: string): { text: string; detail: string | null } {
  const start = message.search(/\((?:AADSTS\d+|0x[0-9a-f]+|\d{3}\b|[A-Za-z_]+:)/i);
  if (start < 0) return { text: message, detail: null };
  let depth = 0;
  for (let i = start; i < message.length; i++) {
    if (message[i] === '(') depth++;
    else if (message[i] === ')' && --depth === 0) {
      return { text: `${message.slice(0, start).trimEnd()}${message.slice(i + 1)}`, detail: message.slice(start + 1, i) };
    }
  }
  return { text: message, detail: null };
}
