/**
 * Mounts the Connectors panel beside Salesforce Setup. The script runs on every page of the Salesforce hosts
 * (Lightning navigates client-side, so a Setup-only match would miss arrivals from other pages) and shows the
 * panel only while the URL is a Setup page, following `wxt:locationchange`.
 */
import { render } from 'preact';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { SALESFORCE_PAGE_MATCHES, isSetupPage } from '../../../shared/salesforce-hosts';
import { ConnectorsPanel } from './connectors-panel';
import '@salesforce-ux/design-system/assets/styles/salesforce-lightning-design-system.css';
import '../../styles/lightning.css';
import './panel.css';

export default defineContentScript({
  matches: [...SALESFORCE_PAGE_MATCHES],
  cssInjectionMode: 'ui',
  async main(ctx) {
    const ui = await createShadowRootUi<HTMLElement>(ctx, {
      name: 'forcebridge-connectors',
      position: 'inline',
      anchor: 'body',
      append: 'last',
      onMount(container) {
        render(<ConnectorsPanel pageUrl={location.href} />, container);
        return container;
      },
      // WXT empties the container on remove; unmount Preact first or the next mount renders nothing.
      onRemove(container) {
        if (container) render(null, container);
      },
    });

    let shown = false;
    const follow = (url: string | URL) => {
      // Client-side navigation stays on this origin; anything else (a blob: download such as the rejects CSV, which
      // the Navigation API also reports) is not a page change.
      const next = new URL(url, location.href);
      if (!/^https?:$/.test(next.protocol) || next.origin !== location.origin) return;
      const wanted = isSetupPage(url);
      if (wanted && !shown) ui.mount();
      if (!wanted && shown) ui.remove();
      shown = wanted;
    };

    follow(location.href);
    // Fires before location.href changes: use newUrl.
    ctx.addEventListener(window, 'wxt:locationchange', ({ newUrl }) => follow(newUrl));
  },
});
