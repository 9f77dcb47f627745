import {
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type ReactElement,
  type ReactNode,
} from "react";
import { Icon } from "./icon.tsx";

/** One entry of a {@link Menu}. */
export interface MenuItem {
  id: string;
  label: ReactNode;
  /** Runs when the item is chosen (click, Enter or Space); the menu closes first. */
  onSelect: () => void;
  /**
   * Makes the item a real link: a plain click still calls `onSelect` (for client-side navigation),
   * while a middle or modified click opens the address as the browser would.
   */
  href?: string;
  /** Draws a line above the item, to set it apart (for example "Log out"). */
  separatorBefore?: boolean;
  /**
   * Marks the item's action as under way (`aria-busy`, `aria-disabled`): choosing it again does
   * nothing, while it stays focusable, as the APG keeps disabled menu items.
   */
  busy?: boolean;
}

export interface MenuProps {
  /** The content of the button that opens the menu. */
  label: ReactNode;
  /** The button's accessible name when `label` alone would not say what the menu is. */
  buttonAriaLabel?: string;
  /** Shown at the top of the open menu, outside the items (for example who is logged in). */
  heading?: ReactNode;
  items: readonly MenuItem[];
  /** Which edge of the button the menu lines up with. */
  align?: "start" | "end";
  /** Tells assistive technology that one of the menu's actions is under way (`aria-busy`). */
  busy?: boolean;
}

/**
 * A menu button (WAI-ARIA APG "menu button" pattern): the button opens a list of actions; arrow
 * keys, Home and End move between them, Escape closes and returns focus to the button, and a click
 * outside closes it.
 */
export function Menu({ label, buttonAriaLabel, heading, items, align = "end", busy = false }: MenuProps): ReactElement {
  const [open, setOpen] = useState(false);
  const [activeIndex, setActiveIndex] = useState(0);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<(HTMLElement | null)[]>([]);
  const buttonId = useId();
  const menuId = useId();

  useEffect(() => {
    if (open) itemRefs.current[activeIndex]?.focus();
  }, [open, activeIndex]);

  useEffect(() => {
    if (!open) return;
    function closeOnOutsidePointer(event: PointerEvent): void {
      if (event.target instanceof Node && !rootRef.current?.contains(event.target)) setOpen(false);
    }
    document.addEventListener("pointerdown", closeOnOutsidePointer);
    return () => document.removeEventListener("pointerdown", closeOnOutsidePointer);
  }, [open]);

  function openAt(index: number): void {
    setActiveIndex(index);
    setOpen(true);
  }

  function close(returnFocus: boolean): void {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  }

  function onButtonKeyDown(event: KeyboardEvent<HTMLButtonElement>): void {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      openAt(0);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      openAt(items.length - 1);
    }
  }

  function onMenuKeyDown(event: KeyboardEvent<HTMLUListElement>): void {
    const last = items.length - 1;
    // From the latest index, not this render's: two keys pressed before React renders again (a held
    // arrow key) must move two items, not one.
    const moves: Record<string, (index: number) => number> = {
      ArrowDown: (index) => (index === last ? 0 : index + 1),
      ArrowUp: (index) => (index === 0 ? last : index - 1),
      Home: () => 0,
      End: () => last,
    };
    const move = moves[event.key];
    if (move !== undefined) {
      event.preventDefault();
      setActiveIndex(move);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(true);
    } else if (event.key === "Tab") {
      close(false);
    } else if (event.key === " ") {
      // Space activates a menu item; links only react to Enter by themselves.
      event.preventDefault();
      itemRefs.current[activeIndex]?.click();
    }
  }

  function choose(item: MenuItem, event: MouseEvent<HTMLElement>): void {
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0;
    if (item.href !== undefined && modified) return;
    event.preventDefault();
    // A second click (or Enter) on an action under way would start it twice.
    if (item.busy) return;
    close(true);
    item.onSelect();
  }

  const itemClass =
    "flex w-full items-center rounded-md px-3 py-2 text-left text-sm text-slate-800 outline-none hover:bg-slate-100 focus:bg-slate-100 focus-visible:ring-2 focus-visible:ring-blue-600";

  return (
    <div ref={rootRef} className="relative">
      <button
        ref={buttonRef}
        id={buttonId}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={buttonAriaLabel}
        aria-busy={busy || undefined}
        onClick={() => (open ? close(false) : openAt(0))}
        onKeyDown={onButtonKeyDown}
        className="inline-flex min-h-10 max-w-56 items-center gap-2 rounded-md px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 aria-expanded:bg-slate-100"
      >
        {label}
        <Icon name="chevron-down" className={`size-4 transition-transform ${open ? "rotate-180" : ""}`} />
      </button>
      {open && (
        <div
          className={`absolute z-20 mt-2 w-60 rounded-lg border border-slate-200 bg-white p-1.5 shadow-lg ${
            align === "end" ? "right-0" : "left-0"
          }`}
        >
          {heading && (
            // The panel has a fixed width; a long unbroken word (a username) wraps inside it.
            <div className="border-b border-slate-200 px-3 pt-1.5 pb-2.5 text-sm wrap-anywhere text-slate-600">
              {heading}
            </div>
          )}
          <ul
            id={menuId}
            role="menu"
            aria-labelledby={buttonId}
            onKeyDown={onMenuKeyDown}
            className="flex flex-col pt-1"
          >
            {items.map((item, index) => {
              const ref = (element: HTMLElement | null): void => {
                itemRefs.current[index] = element;
              };
              return [
                item.separatorBefore ? (
                  <li key={`${item.id}-separator`} role="separator" className="my-1 border-t border-slate-200" />
                ) : null,
                <li key={item.id} role="none">
                  {item.href !== undefined ? (
                    <a
                      ref={ref}
                      role="menuitem"
                      tabIndex={-1}
                      href={item.href}
                      aria-busy={item.busy || undefined}
                      aria-disabled={item.busy || undefined}
                      className={`${itemClass} aria-disabled:cursor-wait aria-disabled:text-slate-500`}
                      onClick={(event) => choose(item, event)}
                    >
                      {item.label}
                    </a>
                  ) : (
                    <button
                      ref={ref}
                      role="menuitem"
                      tabIndex={-1}
                      type="button"
                      aria-busy={item.busy || undefined}
                      aria-disabled={item.busy || undefined}
                      className={`${itemClass} aria-disabled:cursor-wait aria-disabled:text-slate-500`}
                      onClick={(event) => choose(item, event)}
                    >
                      {item.label}
                    </button>
                  )}
                </li>,
              ];
            })}
          </ul>
        </div>
      )}
    </div>
  );
}
