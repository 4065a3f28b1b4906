import { describe, expect, it } from 'vitest';
import { draftFilter, filterEditor, filterEditorReducer as reduce, refreshCadence } from './filter-editor-state';

describe('the row-filter editor', () => {
  it('checks the draft and keeps the count only for the draft it was asked for', () => {
    let state = reduce(filterEditor(null), { type: 'edit', draft: " Email != null " });
    state = reduce(state, { type: 'check' });
    expect(state.phase).toBe('checking');
    state = reduce(state, { type: 'checked', filter: 'Email != null', matches: 42, ungranted: [] });
    expect(state).toMatchObject({ phase: 'idle', checked: { filter: 'Email != null', matches: 42 } });
    // An answer for an older draft is not shown as this one's.
    state = reduce(reduce(state, { type: 'edit', draft: "Email = null" }), { type: 'check' });
    state = reduce(state, { type: 'checked', filter: 'Email != null', matches: 42, ungranted: [] });
    expect(state.phase).toBe('idle');
    expect(state.checked?.filter).not.toBe(draftFilter(state));
  });

  it('saves only a draft whose effects were previewed, and a blank draft removes the filter', () => {
    let state = reduce(filterEditor("Department = 'Sales'"), { type: 'edit', draft: '' });
    expect(reduce(state, { type: 'save' }).phase).toBe('idle');
    state = reduce(state, { type: 'preview' });
    state = reduce(state, { type: 'previewed', filter: '', effects: ['Removes the contact filter'] });
    state = reduce(state, { type: 'save' });
    expect(state.phase).toBe('saving');
    expect(reduce(state, { type: 'saved', filter: null })).toMatchObject({ saved: null, draft: '', preview: null });
  });

  it('shows the Worker’s message when a check fails, and clears it on the next edit', () => {
    let state = reduce(reduce(filterEditor(null), { type: 'edit', draft: 'Nope__c = 1' }), { type: 'check' });
    state = reduce(state, { type: 'failed', message: 'Contact has no field Nope__c' });
    expect(state).toMatchObject({ phase: 'idle', problem: 'Contact has no field Nope__c' });
    expect(reduce(state, { type: 'edit', draft: 'Email != null' }).problem).toBeNull();
  });

  it('says the formula cadence in words', () => {
    expect(refreshCadence(24)).toBe('refreshed daily');
    expect(refreshCadence(6)).toBe('refreshed every 6 hours');
    expect(refreshCadence(168)).toBe('refreshed weekly');
  });
});
