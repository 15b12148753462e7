import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog as a keyboard user needs it: focus moves into it, Tab and Shift+Tab stay inside,
 * Esc closes it, and focus returns to where it was. The page behind is inert while it is open.
 */
export function Dialog({ label, onClose, children, testId }: { label: string; onClose: () => void; children: ComponentChildren; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const overlay = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // Everything beside the dialog, at every level up to the page's root, is made inert.
    const behind: HTMLElement[] = [];
    for (let node: HTMLElement | null = overlay.current; node?.parentElement && node !== document.body; node = node.parentElement) {
      for (const sibling of node.parentElement.children) {
        if (sibling !== node && sibling instanceof HTMLElement && !sibling.inert) {
          sibling.inert = true;
          behind.push(sibling);
        }
      }
    }
    const first = box.current?.querySelector<HTMLElement>('[autofocus]') ?? box.current?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        close.current();
        return;
      }
      if (e.key !== 'Tab' || !box.current) return;
      const items = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
      if (items.length === 0) return;
      const [head, tail] = [items[0]!, items[items.length - 1]!];
      const inside = box.current.contains(document.activeElement);
      if (e.shiftKey && (document.activeElement === head || !inside)) {
        e.preventDefault();
        tail.focus();
      } else if (!e.shiftKey && (document.activeElement === tail || !inside)) {
        e.preventDefault();
        head.focus();
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      for (const el of behind) el.inert = false;
      before?.focus();
    };
  }, []);
  return (
    <div class="overlay modal" ref={overlay} role="dialog" aria-modal="true" aria-label={label} data-testid={testId}>
      <div class="dialog" ref={box}>{children}</div>
    </div>
  );
}
