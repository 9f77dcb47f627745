import type { ReactElement } from "react";

/** The icons the components draw. */
export type IconName = "check" | "cross" | "exclamation" | "info" | "chevron-down";

export interface IconProps {
  name: IconName;
  className?: string;
}

// 20×20 outlines; drawn with the current text colour.
const PATHS: Record<IconName, string> = {
  check: "M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z",
  cross:
    "M5.3 5.3a1 1 0 0 1 1.4 0L10 8.6l3.3-3.3a1 1 0 1 1 1.4 1.4L11.4 10l3.3 3.3a1 1 0 0 1-1.4 1.4L10 11.4l-3.3 3.3a1 1 0 0 1-1.4-1.4L8.6 10 5.3 6.7a1 1 0 0 1 0-1.4Z",
  exclamation:
    "M10 3.5a1.25 1.25 0 0 1 1.25 1.25v6.5a1.25 1.25 0 1 1-2.5 0v-6.5A1.25 1.25 0 0 1 10 3.5Zm0 10.5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Z",
  info: "M10 3a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Zm-1.25 5.5a1.25 1.25 0 1 1 2.5 0v7a1.25 1.25 0 1 1-2.5 0v-7Z",
  "chevron-down":
    "M5.3 7.3a1 1 0 0 1 1.4 0L10 10.6l3.3-3.3a1 1 0 1 1 1.4 1.4l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 0 1 0-1.4Z",
};

/** A small decorative icon, hidden from assistive technology; say in text what it means. */
export function Icon({ name, className = "size-4" }: IconProps): ReactElement {
  return (
    <svg aria-hidden="true" focusable="false" viewBox="0 0 20 20" className={`shrink-0 ${className}`}>
      <path fill="currentColor" d={PATHS[name]} />
    </svg>
  );
}
