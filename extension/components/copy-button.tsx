/** Copies an id or key to the clipboard and says so where a screen reader hears it. */
import { useState } from 'preact/hooks';
import { Icon } from './icon';

export function CopyButton({ value, what }: { value: string; what: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      class="slds-button slds-button_icon slds-button_icon-border-filled slds-button_icon-x-small"
      type="button"
      aria-label={copied ? `${what} copied` : `Copy ${what}`}
      title={`Copy ${what}`}
      onClick={async () => {
        await navigator.clipboard.writeText(value).catch(() => undefined);
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      <Icon name={copied ? 'check' : 'copy'} class="slds-button__icon" />
    </button>
  );
}
