/**
 * Where the panel sits and how wide it is, per org: remembered across page loads, and applied to the page so
 * Setup's content reflows beside the panel instead of under it. The panel starts below Setup's global header and
 * the page gets a right margin the panel's width, so nothing of Setup is hidden.
 */
import { useEffect, useState } from 'preact/hooks';
import { storage } from 'wxt/utils/storage';

export interface PanelLayout {
  expanded: boolean;
  width: number;
}

export const MIN_WIDTH = 360;
export const MAX_WIDTH = 720;
export const COLLAPSED_WIDTH = 40;
const DEFAULT_LAYOUT: PanelLayout = { expanded: true, width: MIN_WIDTH };

const layoutsItem = storage.defineItem<Record<string, PanelLayout>>('local:panelLayouts', { fallback: {}, version: 1 });

export const clampWidth = (width: number) => Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width, 0)));

export function usePanelLayout(org: string) {
  const [layout, setLayout] = useState<PanelLayout | null>(null);
  useEffect(() => {
    void layoutsItem.getValue().then((all) => setLayout(all[org] ?? DEFAULT_LAYOUT));
  }, [org]);
  const update = (patch: Partial<PanelLayout>) => {
    setLayout((current) => {
      const next = { ...(current ?? DEFAULT_LAYOUT), ...patch };
      void layoutsItem.getValue().then((all) => layoutsItem.setValue({ ...all, [org]: next }));
      return next;
    });
  };
  return [layout, update] as const;
}

/** Salesforce's global header (and our emulator's): the panel starts below it and leaves it whole. */
export function headerBottom(): number {
  const header = document.querySelector('.slds-global-header_container, .slds-global-header, header[role="banner"]');
  const bottom = header?.getBoundingClientRect().bottom ?? 0;
  return Math.max(0, Math.round(bottom));
}

/** Gives the page a right margin of `width` px (our style element outside the shadow root; removed on unmount). */
export function reserveSpace(width: number): () => void {
  const style = document.createElement('style');
  style.dataset.forcebridge = 'panel-space';
  // Lightning lays its pages out in fixed containers as well as the body; both leave room.
  style.textContent = `html body { margin-right: ${width}px !important; } .slds-global-header_container ~ * .oneCenterStage, .viewport { right: ${width}px; }`;
  document.head.append(style);
  return () => style.remove();
}
