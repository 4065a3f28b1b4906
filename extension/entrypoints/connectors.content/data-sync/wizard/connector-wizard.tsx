/**
 * New connector (or Edit), in a wide modal: a shell that loads what the steps need (the org's fields, the first
 * sync's estimate, an edit's effects), shows the path of steps, and renders one step component from the
 * reducer's state. The Worker checks everything again on save; its refusals are shown as they come.
 */
import { useEffect, useReducer, useState } from 'preact/hooks';
import type { Connection, Connector, ConnectorPreview, Estimate } from '../../../../../shared/api';
import type { DataverseConnection } from '../../../../../shared/dataverse';
import { Alert, Spinner } from '../../../../components/alert';
import { Icon } from '../../../../components/icon';
import { ConfirmDialog, Modal } from '../../../../components/modal';
import { useToast } from '../../../../components/toast';
import { count } from '../../../../components/time';
import { type Problem, askBackground } from '../../../../utils/messages';
import { DataverseProblem } from '../../dataverse/dataverse-problem';
import { MappingStep } from './mapping-step';
import { ReviewStep, ScheduleStep, TablesStep } from './steps';
import { STEPS, STEP_LABELS, hasUnsavedChanges, initialState, patchOf, wizardReducer } from './wizard-state';

export function ConnectorWizard(props: { connection: Connection; dataverse: DataverseConnection[]; editing?: Connector; onUpdatePermissions: () => Promise<void>; onClose: (changed: Connector | null) => void }) {
  const { connection, editing } = props;
  const [state, dispatch] = useReducer(wizardReducer, editing, initialState);
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const [review, setReview] = useState<ConnectorPreview | null>(null);
  const [reviewRound, setReviewRound] = useState(0);
  const toast = useToast();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    if (state.step !== 'mapping') return;
    for (const table of state.tables) {
      if (state.fields[table]) continue;
      void askBackground('connectorFields', { connectionId: connection.id, table }).then((result) => (result.ok ? dispatch({ type: 'fieldsLoaded', fields: result.data }) : setProblem(result.error)));
    }
  }, [state.step, state.tables.join()]);

  // A Dataverse destination: the environment's teams, then the privilege check of the team picked.
  const { kind, connectionId, teams, teamId, access } = state.destination;
  useEffect(() => {
    if (kind !== 'dataverse' || !connectionId || teams) return;
    void askBackground('dataverseTeams', { connectionId }).then((result) => (result.ok ? dispatch({ type: 'teamsLoaded', connectionId, teams: result.data }) : setProblem(result.error)));
  }, [kind, connectionId, teams === null]);
  useEffect(() => {
    if (kind !== 'dataverse' || !connectionId || !teamId || access?.teamId === teamId) return;
    void askBackground('dataverseAccess', { connectionId, teamId }).then((result) =>
      dispatch({ type: 'accessChecked', teamId, access: result.ok ? result.data : { ok: false, missing: [], message: result.error.message } }),
    );
  }, [kind, connectionId, teamId, access === null]);

  // On the review, the Worker's dry run says what the connector (or the edit) would do and whether the connection's
  // permissions cover its mappings; asked again after Update permissions.
  useEffect(() => {
    if (state.step !== 'review') return;
    setEstimate(null);
    setReview(null);
    void askBackground('estimateFirstSync', { connectionId: connection.id, tables: state.tables }).then((result) => (result.ok ? setEstimate(result.data) : setProblem(result.error)));
    const dryRun = editing
      ? askBackground('updateConnector', { id: editing.id, patch: patchOf(state), dryRun: true })
      : askBackground('previewConnector', { connectionId: connection.id, ...patchOf(state) });
    void dryRun.then((result) => (result.ok ? setReview({ effects: result.data.effects, permissions: result.data.permissions }) : setProblem(result.error)));
  }, [state.step, reviewRound]);

  const submit = async () => {
    setBusy(editing ? 'Saving…' : 'Creating…');
    setProblem(null);
    const result = editing
      ? await askBackground('updateConnector', { id: editing.id, patch: patchOf(state), dryRun: false }).then((r) => (r.ok ? { ok: true as const, data: r.data.connector } : r))
      : await askBackground('createConnector', { connectionId: connection.id, ...patchOf(state) });
    setBusy(null);
    if (!result.ok) return setProblem(result.error);
    if (editing) {
      toast({ tone: 'success', message: `Changes to ${result.data.name} saved.` });
      return props.onClose(result.data);
    }
    dispatch({ type: 'created', connector: result.data });
  };

  const activate = async () => {
    setBusy('Activating…');
    const result = await askBackground('connectorCommand', { id: state.created!.id, command: 'activate' });
    setBusy(null);
    if (!result.ok) return setProblem(result.error);
    toast({ tone: 'success', message: `${result.data!.name} activated: the first sync starts within a minute.` });
    props.onClose(result.data);
  };

  const updatePermissions = async () => {
    setBusy('Updating permissions…');
    await props.onUpdatePermissions();
    setBusy(null);
    setReviewRound((n) => n + 1);
  };

  // Escape, Cancel and Close ask before throwing away changes, as Salesforce's own editors do.
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const unsaved = !state.created && hasUnsavedChanges(state, editing);
  const close = () => {
    if (busy) return;
    if (unsaved) return setConfirmDiscard(true);
    props.onClose(state.created);
  };
  const stepIndex = STEPS.indexOf(state.step);

  const footer =
    state.step === 'created' ? (
      <>
        <button class="slds-button slds-button_neutral" type="button" onClick={() => props.onClose(state.created)}>
          Later
        </button>
        <button class="slds-button slds-button_brand" type="button" onClick={activate} disabled={busy !== null}>
          Activate
        </button>
      </>
    ) : (
      <>
        <button class="slds-button slds-button_neutral" type="button" onClick={close} disabled={busy !== null}>
          Cancel
        </button>
        {state.step !== 'tables' && (
          <button class="slds-button slds-button_neutral" type="button" onClick={() => (setProblem(null), dispatch({ type: 'back' }))} disabled={busy !== null}>
            Back
          </button>
        )}
        {state.step === 'review' ? (
          <button class="slds-button slds-button_brand" type="button" onClick={submit} disabled={busy !== null}>
            {editing ? 'Save changes' : 'Create'}
          </button>
        ) : (
          <button class="slds-button slds-button_brand" type="button" onClick={() => dispatch({ type: 'next' })}>
            Next
          </button>
        )}
      </>
    );

  return (
    <>
      <Modal title={editing ? `Edit ${editing.name}` : 'New connector'} onClose={close} size="large" testId="connector-wizard" footer={footer}>
        {/* The SLDS path, read-only: where the wizard is. https://www.lightningdesignsystem.com/components/path/ */}
        <div class="slds-path slds-m-bottom_medium">
          <div class="slds-grid slds-path__track">
            <div class="slds-grid slds-path__scroller-container">
              <div class="slds-path__scroller">
                <div class="slds-path__scroller_inner">
                  <ol class="slds-path__nav" aria-label="Steps">
                    {STEPS.map((s, i) => {
                      const done = i < stepIndex || state.step === 'created';
                      const current = s === state.step;
                      return (
                        <li key={s} aria-current={current ? 'step' : undefined} class={`slds-path__item ${current ? 'slds-is-current slds-is-active' : done ? 'slds-is-complete' : 'slds-is-incomplete'}`}>
                          <span class="slds-path__link">
                            <span class="slds-path__stage">
                              <Icon name="check" class="slds-icon slds-icon_x-small" />
                              <span class="slds-assistive-text">{done ? 'done' : current ? 'current step' : 'to do'}</span>
                            </span>
                            <span class="slds-path__title">{STEP_LABELS[s]}</span>
                          </span>
                        </li>
                      );
                    })}
                  </ol>
                </div>
              </div>
            </div>
          </div>
        </div>
        {state.step === 'tables' && <TablesStep state={state} dispatch={dispatch} />}
        {state.step === 'mapping' && <MappingStep state={state} dispatch={dispatch} />}
        {state.step === 'schedule' && <ScheduleStep state={state} dispatch={dispatch} dataverse={props.dataverse} />}
        {state.step === 'review' && <ReviewStep state={state} dataverse={props.dataverse} estimate={estimate} review={review} editing={!!editing} busy={busy !== null} onUpdatePermissions={updatePermissions} />}
        {state.step === 'created' && state.created && (
          <Alert tone="success" message={`Connector “${state.created.name}” created. Activate it to start the first sync${estimate ? ` (about ${count(estimate.firstSyncApiCalls, 'API call')})` : ''}.`} />
        )}
        {busy && <Spinner label={busy} />}
        {state.problem && <Alert tone="error" message={state.problem} testId="wizard-problem" />}
        {problem && (problem.code.startsWith('dataverse_') ? <DataverseProblem problem={problem} testId="wizard-problem" /> : <Alert tone="error" message={problem.message} testId="wizard-problem" />)}
      </Modal>
      {confirmDiscard && (
        <ConfirmDialog title="Discard changes?" confirm="Discard changes" cancel="Keep editing" destructive onConfirm={() => props.onClose(null)} onCancel={() => setConfirmDiscard(false)} testId="confirm-discard">
          <p>{editing ? `Your changes to ${editing.name} are not saved.` : 'The new connector is not created yet.'} Discarding them closes the wizard; nothing changes in Salesforce or in your store.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
