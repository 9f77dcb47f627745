import type { ReactElement } from "react";

export interface SpinnerProps {
  /** Diameter: `sm` (16 px) inside buttons, `md` (24 px) for a page that is loading. */
  size?: "sm" | "md";
  /**
   * Text for assistive technology. Leave it out when something nearby already says what is
   * happening (a busy button), so the spinner is purely decorative.
   */
  label?: string;
  className?: string;
}

const SIZES = { sm: "size-4 border-2", md: "size-6 border-[3px]" } as const;

/** A spinning ring that inherits the current text colour. */
export function Spinner({ size = "sm", label, className = "" }: SpinnerProps): ReactElement {
  return (
    <span
      role={label ? "status" : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
      className={`inline-block shrink-0 animate-spin rounded-full border-current border-t-transparent motion-reduce:animate-[spin_1.5s_linear_infinite] ${SIZES[size]} ${className}`}
    />
  );
}
