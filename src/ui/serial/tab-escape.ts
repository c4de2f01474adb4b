/**
 * A way out of the terminal for keyboard users. xterm takes Tab (the device gets it, as a shell's
 * completion expects), so Tab alone cannot move focus; xterm's accessibility guidance is to offer
 * an escape sequence. Ours: Escape, then Tab (or Shift+Tab) as the next key leaves the terminal
 * forwards (backwards). The Escape still reaches the device; the Tab that leaves does not. No
 * time limit: people using switch access or a screen reader may press keys slowly.
 */

export type TabEscapeAction = 'pass' | 'leave-forward' | 'leave-back';

export function createTabEscape(): (event: KeyboardEvent) => TabEscapeAction {
  let armed = false;
  return (event) => {
    if (event.type !== 'keydown') return 'pass';
    if (event.key === 'Escape') {
      armed = true;
      return 'pass';
    }
    if (event.key === 'Shift') return 'pass'; // on the way to Shift+Tab
    const leave = armed && event.key === 'Tab';
    armed = false;
    if (!leave) return 'pass';
    return event.shiftKey ? 'leave-back' : 'leave-forward';
  };
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Focus the first focusable element after (or before) `container` in document order. */
export function focusOutside(container: HTMLElement, forward: boolean): void {
  const all = [...document.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => !container.contains(el) && !el.hidden && el.offsetParent !== null,
  );
  const after = (el: HTMLElement) =>
    (container.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  const target = forward ? all.find(after) : all.filter((el) => !after(el)).at(-1);
  target?.focus();
}
