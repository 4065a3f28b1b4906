/**
 * Lightning Design System utility icons, bundled as inline SVG (Vite `?raw` imports of the package's own files):
 * a content script's shadow root cannot `<use>` a sprite from the extension's origin, and inline SVG needs no
 * web-accessible resources. Only the icons imported here are shipped.
 */
import check from '@salesforce-ux/design-system/assets/icons/utility/check.svg?raw';
import close from '@salesforce-ux/design-system/assets/icons/utility/close.svg?raw';
import copy from '@salesforce-ux/design-system/assets/icons/utility/copy.svg?raw';
import error from '@salesforce-ux/design-system/assets/icons/utility/error.svg?raw';
import info from '@salesforce-ux/design-system/assets/icons/utility/info.svg?raw';
import search from '@salesforce-ux/design-system/assets/icons/utility/search.svg?raw';
import success from '@salesforce-ux/design-system/assets/icons/utility/success.svg?raw';
import warning from '@salesforce-ux/design-system/assets/icons/utility/warning.svg?raw';

const SVGS = { check, close, copy, error, info, search, success, warning } as const;
export type IconName = keyof typeof SVGS;

/** The path data of an icon file: its markup inside <svg>, without the file's own fill. */
const inner = (svg: string) => svg.replace(/^[\s\S]*?<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
const viewBox = (svg: string) => /viewBox="([^"]+)"/.exec(svg)?.[1] ?? '0 0 520 520';

export function Icon({ name, class: className }: { name: IconName; class?: string }) {
  const svg = SVGS[name];
  return <svg class={className ?? 'slds-icon slds-icon_x-small'} viewBox={viewBox(svg)} aria-hidden="true" dangerouslySetInnerHTML={{ __html: inner(svg) }} />;
}
