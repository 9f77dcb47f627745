import type { ReactElement, ReactNode } from "react";
import { Field } from "./field.tsx";
import { Input, type InputProps } from "./input.tsx";

export interface TextFieldProps extends Omit<InputProps, "invalid" | "id"> {
  /** The visible label, tied to the input. */
  label: ReactNode;
  /** Shown at the end of the label row, for example a "Forgot password?" link. */
  labelAside?: ReactNode;
  /** Error messages to show under the input; any message marks it invalid. */
  errors?: readonly string[];
  /** Help under the input, read out with it. */
  description?: ReactNode;
}

/**
 * A labelled text, email or password input with its errors and help: a `Field` around an `Input`.
 * Every other prop (name, autoComplete, onBlur, ref…) goes to the input.
 */
export function TextField({ label, labelAside, errors, description, ...input }: TextFieldProps): ReactElement {
  return (
    <Field label={label} labelAside={labelAside} errors={errors} description={description}>
      {(control) => <Input {...input} {...control} />}
    </Field>
  );
}
