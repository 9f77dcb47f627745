import type { ReactElement, ReactNode, Ref } from "react";
import { Icon, type IconName } from "./icon.tsx";

export interface AlertProps {
  /** `error` is announced at once (`role="alert"`); the others politely (`role="status"`). */
  tone?: "error" | "success" | "info" | "warning";
  /** A short bold first line. */
  title?: ReactNode;
  children?: ReactNode;
  /**
   * Lets a form move focus to the alert (it is focusable by script only), so that a message about
   * the whole form is read out the way a field error is.
   */
  ref?: Ref<HTMLDivElement>;
  className?: string;
}

const TONES: Record<NonNullable<AlertProps["tone"]>, { box: string; icon: IconName; iconBox: string }> = {
  error: { box: "border-red-200 bg-red-50 text-red-900", icon: "exclamation", iconBox: "bg-red-600" },
  success: { box: "border-green-200 bg-green-50 text-green-900", icon: "check", iconBox: "bg-green-600" },
  info: { box: "border-blue-200 bg-blue-50 text-blue-900", icon: "info", iconBox: "bg-blue-600" },
  warning: { box: "border-amber-200 bg-amber-50 text-amber-900", icon: "exclamation", iconBox: "bg-amber-500" },
};

/** A message box for the outcome of an action or a problem with a whole form or page. */
export function Alert({ tone = "info", title, children, ref, className = "" }: AlertProps): ReactElement {
  const style = TONES[tone];
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role={tone === "error" ? "alert" : "status"}
      className={`flex gap-3 rounded-md border p-3 text-sm outline-none focus-visible:ring-2 focus-visible:ring-blue-600 ${style.box} ${className}`}
    >
      <span
        className={`mt-px flex size-5 shrink-0 items-center justify-center rounded-full text-white ${style.iconBox}`}
      >
        <Icon name={style.icon} className="size-3.5" />
      </span>
      <div className="flex min-w-0 flex-col gap-1">
        {title && <p className="font-semibold">{title}</p>}
        {children && <div className="break-words">{children}</div>}
      </div>
    </div>
  );
}
