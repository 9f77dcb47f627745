import {
  passwordValidatorsHelpText,
  validatePassword,
  type PasswordUserAttributes,
  type PasswordValidationErrorCode,
} from "@tsbin/auth-core";
import { Checklist, type ChecklistState } from "@tsbin/ui/checklist";
import { useEffect, useState, type ReactElement } from "react";

// Django's help texts come in the order of its validators; these are their error codes.
const RULE_CODES: readonly PasswordValidationErrorCode[] = [
  "password_too_similar",
  "password_too_short",
  "password_too_common",
  "password_entirely_numeric",
];

// Long enough not to check on every keystroke, short enough to feel immediate.
const CHECK_DELAY_MS = 150;

export interface PasswordRequirementsProps {
  /** The password as typed so far. */
  password: string;
  /**
   * The account's details for the similarity rule; `null` when the page does not know them (a
   * reset link), in which case that rule is left to the server and shown as not checked.
   */
  user: PasswordUserAttributes | null;
  /**
   * Rules the server found this very password to fail, shown as not met although the page cannot
   * check them itself (similarity when `user` is `null`).
   */
  serverFailures?: readonly PasswordValidationErrorCode[];
}

/**
 * Django's password rules under a new-password field, each marked met or not met as the user types
 * (the same validators the server runs). A simple strength hint: every rule met is good enough.
 */
export function PasswordRequirements({ password, user, serverFailures = [] }: PasswordRequirementsProps): ReactElement {
  const [failing, setFailing] = useState<{ password: string; codes: ReadonlySet<string> } | null>(null);
  const username = user?.username;
  const email = user?.email;
  const firstName = user?.firstName;
  const lastName = user?.lastName;
  const knowsUser = user !== null;

  useEffect(() => {
    if (password === "") return;
    let current = true;
    const timer = window.setTimeout(() => {
      validatePassword(password, knowsUser ? { username, email, firstName, lastName } : null).then(
        (errors) => {
          if (current) setFailing({ password, codes: new Set(errors.map((error) => error.code)) });
        },
        // The common-password list failed to download; the server checks the rule anyway.
        () => undefined,
      );
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [password, knowsUser, username, email, firstName, lastName]);

  const checked = password !== "" && failing !== null;
  const items = passwordValidatorsHelpText().map((text, index) => {
    const code = RULE_CODES[index] ?? "password_too_short";
    let state: ChecklistState = "unknown";
    if (serverFailures.includes(code)) state = "fail";
    else if (checked && !(code === "password_too_similar" && !knowsUser)) {
      state = failing.codes.has(code) ? "fail" : "pass";
    }
    return { id: code, label: text, state };
  });
  return <Checklist label="Password requirements" items={items} />;
}
