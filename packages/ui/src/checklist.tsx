import type { ReactElement, ReactNode } from "react";
import { Icon } from "./icon.tsx";

/** The state of one {@link Checklist} item: met, not met, or not checked yet. */
export type ChecklistState = "pass" | "fail" | "unknown";

export interface ChecklistItem {
  id: string;
  label: ReactNode;
  state: ChecklistState;
}

export interface ChecklistProps {
  items: readonly ChecklistItem[];
  /** Names the list for assistive technology, e.g. "Password requirements". */
  label: string;
}

const MARKS: Record<ChecklistState, { icon: "check" | "cross" | null; className: string; spoken: string }> = {
  pass: { icon: "check", className: "bg-green-600 text-white", spoken: "met" },
  fail: { icon: "cross", className: "bg-red-600 text-white", spoken: "not met" },
  unknown: { icon: null, className: "border border-slate-300 bg-white", spoken: "not checked yet" },
};

/**
 * A list of requirements, each marked met or not met, for live feedback while typing. Every item
 * always takes one row, so marks changing never move the layout.
 */
export function Checklist({ items, label }: ChecklistProps): ReactElement {
  return (
    <ul aria-label={label} className="flex flex-col gap-1 text-sm">
      {items.map((item) => {
        const mark = MARKS[item.state];
        return (
          <li
            key={item.id}
            className={`flex items-start gap-2 ${item.state === "fail" ? "text-red-800" : "text-slate-600"}`}
          >
            <span className={`mt-0.5 flex size-4 shrink-0 items-center justify-center rounded-full ${mark.className}`}>
              {mark.icon && <Icon name={mark.icon} className="size-3" />}
            </span>
            <span>
              {item.label}
              <span className="sr-only"> ({mark.spoken})</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
