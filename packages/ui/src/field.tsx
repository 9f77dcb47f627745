import { useId, type ReactElement, type ReactNode } from "react";
import { Icon } from "./icon.tsx";

/** What `Field` hands to its control so that the label, help and errors are tied to it. */
export interface FieldControlProps {
  id: string;
  "aria-describedby": string | undefined;
  invalid: boolean;
}

export interface FieldProps {
  /** The visible label, tied to the control with `for`/`id`. */
  label: ReactNode;
  /** Shown at the end of the label row, for example a "Forgot password?" link. */
  labelAside?: ReactNode;
  /** Error messages for this field; any message marks the control invalid. */
  errors?: readonly string[];
  /** Help shown under the control, above any errors, and read out with it (`aria-describedby`). */
  description?: ReactNode;
  /** Renders the control with the props that connect it to the label, errors and help. */
  children: (control: FieldControlProps) => ReactNode;
  className?: string;
}

/**
 * A labelled form field: label, control, help and errors in a fixed order. A line is reserved for
 * the first error, so a message appearing on blur does not push the rest of the form down.
 */
export function Field({
  label,
  labelAside,
  errors = [],
  description,
  children,
  className = "",
}: FieldProps): ReactElement {
  const id = useId();
  const errorsId = `${id}-errors`;
  const descriptionId = `${id}-description`;
  const invalid = errors.length > 0;
  const describedBy = [invalid ? errorsId : null, description ? descriptionId : null].filter(Boolean).join(" ");
  return (
    <div className={`flex flex-col gap-1.5 ${className}`}>
      {/* The aside shows beside the label but comes after the control in the tab order: from a
          username field, Tab reaches the password before a "Forgot your password?" link. */}
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1.5">
        <label htmlFor={id} className="order-1 text-sm font-medium text-slate-800">
          {label}
        </label>
        <div className="order-3 w-full">{children({ id, "aria-describedby": describedBy || undefined, invalid })}</div>
        {labelAside && <span className="order-2 text-sm">{labelAside}</span>}
      </div>
      {description && (
        <div id={descriptionId} className="text-sm text-slate-600">
          {description}
        </div>
      )}
      <div id={errorsId} className="min-h-5 text-sm text-red-700">
        {invalid && (
          <ul className="flex flex-col gap-0.5">
            {errors.map((message) => (
              <li key={message} className="flex gap-1.5">
                <Icon name="exclamation" className="mt-0.5 size-4" />
                <span>{message}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
