/**
 * The row-filter editor of one table, as a pure reducer: the draft being written, the live check of it (how many
 * records match, or the Worker's message naming the problem), what saving will do (the dry run's effects), and
 * saving. A check or preview answers only the draft it was asked for: typing on makes an older answer stale.
 */
export type FilterEditor = {
  saved: string | null;
  draft: string;
  phase: 'idle' | 'checking' | 'previewing' | 'saving';
  /** the draft last checked, with its match count */
  checked: { filter: string; matches: number | null; ungranted: string[] } | null;
  /** what saving the draft will do, for the draft it was asked for */
  preview: { filter: string; effects: string[] } | null;
  problem: string | null;
};

export type FilterAction =
  | { type: 'edit'; draft: string }
  | { type: 'check' }
  | { type: 'checked'; filter: string; matches: number | null; ungranted: string[] }
  | { type: 'preview' }
  | { type: 'previewed'; filter: string; effects: string[] }
  | { type: 'save' }
  | { type: 'saved'; filter: string | null }
  | { type: 'failed'; message: string };

export const filterEditor = (saved: string | null): FilterEditor => ({ saved, draft: saved ?? '', phase: 'idle', checked: null, preview: null, problem: null });

/** The draft as the Worker takes it: blank means no filter. */
export const draftFilter = (state: FilterEditor) => state.draft.trim() || null;

export function filterEditorReducer(state: FilterEditor, action: FilterAction): FilterEditor {
  switch (action.type) {
    case 'edit':
      return { ...state, draft: action.draft, problem: null, preview: state.preview?.filter === action.draft.trim() ? state.preview : null };
    case 'check':
      return draftFilter(state) ? { ...state, phase: 'checking', problem: null } : state;
    case 'checked':
      return action.filter === draftFilter(state) ? { ...state, phase: 'idle', checked: { filter: action.filter, matches: action.matches, ungranted: action.ungranted } } : { ...state, phase: 'idle' };
    case 'preview':
      return draftFilter(state) === state.saved ? state : { ...state, phase: 'previewing', problem: null };
    case 'previewed':
      return action.filter === (draftFilter(state) ?? '') ? { ...state, phase: 'idle', preview: { filter: action.filter, effects: action.effects } } : { ...state, phase: 'idle' };
    case 'save':
      return state.preview && state.preview.filter === (draftFilter(state) ?? '') ? { ...state, phase: 'saving', problem: null } : state;
    case 'saved':
      return filterEditor(action.filter);
    case 'failed':
      return { ...state, phase: 'idle', problem: action.message };
  }
}

/** "refreshed daily", "refreshed every 6 hours", "refreshed weekly". */
export function refreshCadence(hours: number): string {
  if (hours === 24) return 'refreshed daily';
  if (hours === 168) return 'refreshed weekly';
  if (hours === 1) return 'refreshed hourly';
  return `refreshed every ${hours} hours`;
}
