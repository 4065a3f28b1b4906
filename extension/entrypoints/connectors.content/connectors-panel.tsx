/**
 * The Connectors panel: a resizable column docked at the right edge of Setup, below its global header. Setup's
 * content reflows beside it (never under it); collapsed or expanded and the width are remembered per org. It owns
 * the org's connection (`useConnection()`), so every section shows the same state.
 *
 * Sections, in order: Salesforce access, Dataverse environments (where connectors may write instead of D1), Data
 * sync, Agent access (each added beside these as its own folder), and the Forcebridge service the extension talks to.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { myDomainName } from '../../../shared/salesforce-hosts';
import { Alert, Spinner, badgeClass } from '../../components/alert';
import { LearnMore } from '../../components/learn-more';
import { ToastProvider } from '../../components/toast';
import { WorkerStatusView } from '../../components/worker-status';
import { askBackground } from '../../utils/messages';
import { useBackground } from '../../utils/use-background';
import { AgentAccessSection } from './agent-access/agent-access-section';
import { AgentConnectionSection } from './agent-connection/agent-connection-section';
import { DataSyncSection } from './data-sync/data-sync-section';
import { DataverseSection } from './dataverse/dataverse-section';
import { COLLAPSED_WIDTH, clampWidth, headerBottom, reserveSpace, usePanelLayout } from './panel-layout';
import { connectionBadge, useConnection } from './use-connection';

/** Problems that mean nothing in the panel can work until the extension's options are fixed. */
const SERVICE_PROBLEMS = new Set(['not_configured', 'worker_unreachable', 'unauthorized', 'bad_response', 'extension_error']);

export function ConnectorsPanel({ pageUrl }: { pageUrl: string }) {
  const org = myDomainName(pageUrl) ?? 'unknown';
  const [layout, setLayout] = usePanelLayout(org);
  const [status, reloadStatus] = useBackground('getWorkerStatus');
  const handle = useConnection();
  const [top, setTop] = useState(0);
  // Bumped when a Dataverse connection changes, so Data sync reads the destinations again.
  const [dataverseRound, setDataverseRound] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const openButton = useRef<HTMLButtonElement>(null);
  const focusAfterToggle = useRef(false);

  useEffect(() => setTop(headerBottom()), []);
  useEffect(() => (layout ? reserveSpace(layout.expanded ? layout.width : COLLAPSED_WIDTH) : undefined), [layout?.expanded, layout?.width]);
  useEffect(() => {
    if (!focusAfterToggle.current) return;
    focusAfterToggle.current = false;
    (layout?.expanded ? heading.current : openButton.current)?.focus();
  }, [layout?.expanded]);

  if (!layout) return null;
  const toggle = (expanded: boolean) => {
    focusAfterToggle.current = true;
    setLayout({ expanded });
  };

  if (!layout.expanded) {
    return (
      <div class="fb-panel fb-panel--collapsed" style={{ top: `${top}px`, width: `${COLLAPSED_WIDTH}px` }}>
        <button ref={openButton} class="fb-panel-tab" type="button" onClick={() => toggle(true)} aria-expanded="false" aria-controls="fb-panel" data-testid="panel-open">
          Connectors
        </button>
      </div>
    );
  }

  const unavailable = handle.problem && SERVICE_PROBLEMS.has(handle.problem.code) ? handle.problem : null;
  const badge = connectionBadge(handle.connection);

  return (
    <aside id="fb-panel" class="fb-panel" style={{ top: `${top}px`, width: `${layout.width}px` }} aria-labelledby="fb-panel-title" data-testid="connectors-panel">
      <ToastProvider>
        <ResizeHandle width={layout.width} onResize={(width) => setLayout({ width })} />
        <header class="fb-panel__header">
          <h2 id="fb-panel-title" ref={heading} tabIndex={-1}>
            Connectors
          </h2>
          {handle.connection !== undefined && !unavailable && (
            <span class={badgeClass(badge.tone)} data-testid="connection-badge">
              {badge.label}
            </span>
          )}
          <button class="slds-button" type="button" onClick={() => toggle(false)} aria-expanded="true" aria-controls="fb-panel" data-testid="panel-collapse">
            Collapse
          </button>
        </header>
        <div class="fb-panel__body">
          {unavailable && (
            <Alert tone="error" message={unavailable.message} testId="service-problem">
              <button class="slds-button slds-button_brand" type="button" onClick={() => void askBackground('openOptions')} data-testid="open-options">
                Open the extension options
              </button>
              <button class="slds-button slds-button_neutral" type="button" onClick={() => void Promise.all([handle.reload(), reloadStatus()])}>
                Try again
              </button>
            </Alert>
          )}
          <section class="fb-panel__section" aria-labelledby="fb-salesforce-access">
            <h3 id="fb-salesforce-access">Salesforce access</h3>
            <p class="slds-text-color_weak">
              Org <span data-testid="org-domain">{org}</span> · <LearnMore topic="salesforce-access" about="Salesforce access" />
            </p>
            <AgentConnectionSection handle={handle} setupUnavailable={!!unavailable} />
          </section>
          <section class="fb-panel__section" aria-labelledby="fb-dataverse">
            <h3 id="fb-dataverse">Dataverse environments</h3>
            <p class="slds-text-color_weak">
              <LearnMore topic="dataverse" about="Dataverse environments" />
            </p>
            {!unavailable && <DataverseSection onChanged={() => setDataverseRound((n) => n + 1)} />}
          </section>
          <section class="fb-panel__section" aria-labelledby="fb-data-sync">
            <h3 id="fb-data-sync">Data sync</h3>
            <p class="slds-text-color_weak">
              <LearnMore topic="data-sync" about="data sync and connectors" />
            </p>
            {!unavailable && <DataSyncSection handle={handle} dataverseRound={dataverseRound} />}
          </section>
          <section class="fb-panel__section" aria-labelledby="fb-agent-access">
            <h3 id="fb-agent-access">Agent access</h3>
            <p class="slds-text-color_weak">
              <LearnMore topic="agent-access" about="agent access" />
            </p>
            {!unavailable && <AgentAccessSection />}
          </section>
          <section class="fb-panel__section" aria-labelledby="fb-service">
            <h3 id="fb-service">Forcebridge service</h3>
            {status.state === 'loading' ? (
              <Spinner label="Checking the Forcebridge service…" />
            ) : status.result.ok ? (
              <WorkerStatusView status={status.result.data} showProblem={!unavailable} />
            ) : (
              !unavailable && <Alert tone="error" message={status.result.error.message} />
            )}
            <button class="slds-button slds-button_neutral" type="button" onClick={reloadStatus} disabled={status.state === 'loading'}>
              Check again
            </button>
          </section>
        </div>
      </ToastProvider>
    </aside>
  );
}

/** The panel's left edge: drag it, or focus it and use the arrow keys, to change the width. */
function ResizeHandle({ width, onResize }: { width: number; onResize: (width: number) => void }) {
  const start = (event: PointerEvent) => {
    const target = event.currentTarget as HTMLElement;
    target.setPointerCapture(event.pointerId);
    const move = (e: PointerEvent) => onResize(clampWidth(window.innerWidth - e.clientX));
    const end = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', end);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', end);
  };
  return (
    <div
      class="fb-resize"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the Connectors panel"
      aria-valuenow={width}
      aria-valuemin={360}
      aria-valuemax={720}
      tabIndex={0}
      data-testid="panel-resize"
      onPointerDown={start}
      onKeyDown={(event) => {
        if (event.key === 'ArrowLeft') onResize(clampWidth(width + 40));
        else if (event.key === 'ArrowRight') onResize(clampWidth(width - 40));
        else return;
        event.preventDefault();
      }}
    />
  );
}
