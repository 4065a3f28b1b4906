/**
 * Toasts: short results that need no answer ("Sync requested", "Changes saved"), in the Lightning Design System's
 * toast markup (https://www.lightningdesignsystem.com/components/toast/). They appear at the top of the panel and
 * go after a while or when closed. The container is a polite live region that is always in the page, so screen
 * readers announce each toast as it is added. Problems are not toasts: they stay inline, next to what failed.
 */
import { type ComponentChildren, createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { Icon } from './icon';

export interface ToastInput {
  tone: 'success' | 'info';
  message: string;
}

interface Toast extends ToastInput {
  id: number;
}

/** Long enough to read a sentence twice (SLDS asks for at least 4.8 s). */
const SHOWN_MS = 10_000;

const ToastContext = createContext<(toast: ToastInput) => void>(() => undefined);

/** Shows a toast from anywhere inside the panel. */
export const useToast = () => useContext(ToastContext);

export function ToastProvider({ children }: { children: ComponentChildren }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(0);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const show = useCallback((toast: ToastInput) => {
    const id = ++next.current;
    // The same sentence twice in a row (Sync now pressed again) replaces the first rather than stacking.
    setToasts((list) => [...list.filter((t) => t.message !== toast.message), { ...toast, id }].slice(-3));
  }, []);
  return (
    <ToastContext.Provider value={show}>
      {children}
      <div class="slds-notify_container fb-toasts" role="status" aria-live="polite" data-testid="toasts">
        {toasts.map((toast) => (
          <ToastView key={toast.id} toast={toast} onClose={() => dismiss(toast.id)} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

function ToastView({ toast, onClose }: { toast: Toast; onClose: () => void }) {
  useEffect(() => {
    const timer = setTimeout(onClose, SHOWN_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div class={`slds-notify slds-notify_toast slds-theme_${toast.tone} fb-toast`} data-testid="toast">
      <span class="slds-assistive-text">{toast.tone === 'success' ? 'Success:' : 'Note:'}</span>
      <span class={`slds-icon_container slds-icon-utility-${toast.tone} slds-m-right_small slds-no-flex slds-align-top`}>
        <Icon name={toast.tone} class="slds-icon slds-icon_small" />
      </span>
      <div class="slds-notify__content">
        <p class="slds-text-heading_small fb-toast__message">{toast.message}</p>
      </div>
      <div class="slds-notify__close">
        <button class="slds-button slds-button_icon slds-button_icon-inverse" type="button" title="Close" onClick={onClose}>
          <Icon name="close" class="slds-button__icon slds-button__icon_large" />
          <span class="slds-assistive-text">Close</span>
        </button>
      </div>
    </div>
  );
}
