/**
 * A modal the way Salesforce's own behave: focus moves into it (its first field or button), Tab stays inside,
 * Escape closes it (and only it), and focus goes back to what opened it.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { Icon } from './icon';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

export function Modal(props: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  footer?: ComponentChildren;
  size?: 'small' | 'large';
  testId?: string;
  /** "alertdialog" for confirmations */
  role?: 'dialog' | 'alertdialog';
  /** what gets focus first; default: the first focusable element */
  initialFocus?: string;
}) {
  const box = useRef<HTMLElement>(null);
  const titleId = useRef(`fb-modal-${Math.random().toString(36).slice(2)}`).current;

  useEffect(() => {
    // Inside a shadow root, document.activeElement is the host: ask the root what had focus.
    const root = box.current?.getRootNode() as Document | ShadowRoot | undefined;
    const opener = (root?.activeElement ?? null) as HTMLElement | null;
    // Like Salesforce's modals: the first field or button of the body, not the Close button in the header.
    const first =
      (props.initialFocus && box.current?.querySelector<HTMLElement>(props.initialFocus)) ||
      box.current?.querySelector<HTMLElement>(`.fb-modal__body :is(${FOCUSABLE})`) ||
      box.current?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    // A list or a dialog inside this one has already dealt with the key.
    if (event.defaultPrevented) return;
    if (event.key === 'Escape') {
      event.stopPropagation();
      event.preventDefault();
      props.onClose();
      return;
    }
    if (event.key !== 'Tab' || !box.current) return;
    const items = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
    if (items.length === 0) return;
    const root = box.current.getRootNode() as Document | ShadowRoot;
    const active = root.activeElement;
    if (event.shiftKey && active === items[0]) {
      event.preventDefault();
      items.at(-1)!.focus();
    } else if (!event.shiftKey && active === items.at(-1)) {
      event.preventDefault();
      items[0]!.focus();
    }
  };

  // SLDS modal markup: https://www.lightningdesignsystem.com/components/modals/
  return (
    <div class="fb-modal-layer">
      <section
        ref={box}
        class={`slds-modal slds-fade-in-open ${props.size === 'large' ? 'slds-modal_large' : 'slds-modal_small'}`}
        role={props.role ?? 'dialog'}
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={props.testId}
        onKeyDown={onKeyDown}
      >
        <div class="slds-modal__container">
          <div class="slds-modal__header fb-modal__header">
            <button class="slds-button slds-button_icon slds-modal__close fb-modal__close" type="button" aria-label="Close" onClick={props.onClose}>
              <Icon name="close" class="slds-button__icon slds-button__icon_large" />
            </button>
            <h2 id={titleId} class="slds-modal__title slds-hyphenate">
              {props.title}
            </h2>
          </div>
          <div class="slds-modal__content slds-p-around_medium fb-modal__body">{props.children}</div>
          {props.footer && <div class="slds-modal__footer fb-modal__footer">{props.footer}</div>}
        </div>
      </section>
      <div class="slds-backdrop slds-backdrop_open" role="presentation" />
    </div>
  );
}

/** A yes/no question about something that changes the org, saying what changes. */
export function ConfirmDialog(props: { title: string; children: ComponentChildren; confirm: string; cancel?: string; destructive?: boolean; onConfirm: () => void; onCancel: () => void; testId?: string }) {
  return (
    <Modal
      title={props.title}
      onClose={props.onCancel}
      role="alertdialog"
      testId={props.testId}
      initialFocus="[data-cancel]"
      footer={
        <>
          <button class="slds-button slds-button_neutral" type="button" onClick={props.onCancel} data-cancel>
            {props.cancel ?? 'Cancel'}
          </button>
          <button class={`slds-button ${props.destructive ? 'slds-button_destructive' : 'slds-button_brand'}`} type="button" onClick={props.onConfirm}>
            {props.confirm}
          </button>
        </>
      }
    >
      {props.children}
    </Modal>
  );
}
