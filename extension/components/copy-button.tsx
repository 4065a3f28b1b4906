/** Copies an id or key to the clipboard and says so where a screen reader hears it. */
import { useState } from 'preact/hooks';

export function CopyButton({ value, what }: { value: string; what: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      class="fb-button fb-button--icon"
      type="button"
      aria-label={copied ? `${what} copied` : `Copy ${what}`}
      title={`Copy ${what}`}
      onClick={async () => {
        await navigator.clipboard.writeText(value).catch(() => undefined);
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
        {copied ? <path d="M2 8l4 4 8-8" fill="none" stroke="currentColor" stroke-width="2" /> : <path d="M5 1h8a1 1 0 0 1 1 1v9h-2V3H5zM2 4h8a1 1 0 0 1 1 1v9a1 1 0 0 1-1 1H2a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z" fill="currentColor" />}
      </svg>
    </button>
  );
}
