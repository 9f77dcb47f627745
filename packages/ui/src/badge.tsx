import type { ReactElement, ReactNode } from "react";

export interface BadgeProps {
  children: ReactNode;
  /** `info` (blue) marks something as the current or selected one; `neutral` (grey) is for other labels. */
  tone?: "info" | "neutral";
}

const TONES = {
  info: "bg-blue-50 text-blue-800 ring-blue-200",
  neutral: "bg-slate-100 text-slate-700 ring-slate-200",
} as const;

/** A small label next to a piece of text, such as "This device". */
export function Badge({ children, tone = "neutral" }: BadgeProps): ReactElement {
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${TONES[tone]}`}
    >
      {children}
    </span>
  );
}
