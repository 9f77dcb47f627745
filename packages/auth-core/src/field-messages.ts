/** Django's `forms.Field` "required" message. */
export const REQUIRED_MESSAGE = "This field is required.";

/** Django's generic "invalid" message: for a value that is there but of the wrong kind (a number for a text field). */
export const INVALID_VALUE_MESSAGE = "Enter a valid value.";

/** Django's `ProhibitNullCharactersValidator` message. */
export const NULL_CHARACTERS_MESSAGE = "Null characters are not allowed.";

/** Django's `MaxLengthValidator` message, counting code points as Python's `len()` does. */
export function maxLengthMessage(max: number, actual: number): string {
  return `Ensure this value has at most ${max} character${max === 1 ? "" : "s"} (it has ${actual}).`;
}
