import { useMutation } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import type { PasswordValidationErrorCode } from "@tsbin/auth-core";
import { Alert } from "@tsbin/ui/alert";
import { Button } from "@tsbin/ui/button";
import { Card } from "@tsbin/ui/card";
import { FormLayout } from "@tsbin/ui/form-layout";
import { TextField } from "@tsbin/ui/text-field";
import { useState, type ReactElement } from "react";
import { useForm, useWatch } from "react-hook-form";
import { refreshCurrentUser } from "../../lib/auth-cache.ts";
import { forgetResetToken } from "../../lib/reset-token.ts";
import { describeApiError } from "../../lib/trpc-error.ts";
import { trpc } from "../../lib/trpc.ts";
import { fieldMessages } from "../forms/field-messages.ts";
import { applyServerErrors } from "../forms/server-errors.ts";
import { useFormAlert } from "../forms/use-form-alert.ts";
import { CenteredPage } from "../layout/centered-page.tsx";
import { resetPasswordResolver } from "./form-resolvers.ts";
import type { ResetPasswordValues } from "./form-schemas.ts";
import { PasswordRequirements } from "./password-requirements.tsx";
import { serverOnlyPasswordFailures } from "./server-password-errors.ts";
import { submitAttempt } from "../forms/submit-attempt.ts";

interface RefusedPassword {
  password: string;
  failures: readonly PasswordValidationErrorCode[];
}

export interface NewPasswordFormProps {
  token: string;
  /** The account the link is for (from `auth.checkResetToken`), for password managers. */
  username: string;
  /** The link turned out to be used or expired when the form was sent. */
  onInvalid: () => void;
}

/** Django's SetPasswordForm for a checked reset link: the new password twice. */
export function NewPasswordForm({ token, username, onInvalid }: NewPasswordFormProps): ReactElement {
  const navigate = useNavigate();
  const reset = useMutation(trpc.auth.resetPassword.mutationOptions());
  const alert = useFormAlert();
  const form = useForm<ResetPasswordValues>({
    resolver: resetPasswordResolver.resolver,
    defaultValues: { newPassword: "", newPasswordConfirmation: "" },
    mode: "onBlur",
    criteriaMode: "all",
  });
  const { errors, isSubmitting } = form.formState;
  const typedPassword = useWatch({ control: form.control, name: "newPassword" });
  // What the server refused and the page could not check (similarity: it does not know the account),
  // for the checklist; it holds only while that same password is in the field.
  const [refused, setRefused] = useState<RefusedPassword>({ password: "", failures: [] });

  const onSubmit = form.handleSubmit(async ({ newPassword }) => {
    try {
      await reset.mutateAsync({ token, newPassword });
    } catch (error) {
      const { fieldErrors } = describeApiError(error);
      if ((fieldErrors.token?.length ?? 0) > 0) {
        onInvalid();
        return;
      }
      setRefused({ password: newPassword, failures: serverOnlyPasswordFailures(fieldErrors.newPassword ?? []) });
      alert.show(applyServerErrors(error, form.setError, ["newPassword"]));
      return;
    }
    forgetResetToken(window.sessionStorage);
    // A reset ends every session of the account, this browser's included.
    await refreshCurrentUser();
    await navigate({ to: "/password-reset/complete", replace: true });
  });

  return (
    <CenteredPage>
      <Card
        headingLevel={1}
        title="Enter new password"
        description="Please enter your new password twice so we can verify you typed it in correctly."
      >
        {alert.message && (
          <Alert tone="error" ref={alert.ref}>
            {alert.message}
          </Alert>
        )}
        <FormLayout
          stretchActions
          onSubmit={submitAttempt(alert, onSubmit)}
          onFocus={resetPasswordResolver.preload}
          actions={
            <Button type="submit" pending={isSubmitting}>
              Change my password
            </Button>
          }
        >
          {/* Lets password managers file the new password under the right account. */}
          <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            description={
              <PasswordRequirements
                password={typedPassword}
                user={null}
                serverFailures={refused.password === typedPassword ? refused.failures : []}
              />
            }
            errors={fieldMessages(errors.newPassword)}
            {...form.register("newPassword", { deps: ["newPasswordConfirmation"] })}
          />
          <TextField
            label="New password confirmation"
            type="password"
            autoComplete="new-password"
            errors={fieldMessages(errors.newPasswordConfirmation)}
            {...form.register("newPasswordConfirmation")}
          />
        </FormLayout>
      </Card>
    </CenteredPage>
  );
}
