import { useMutation } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { Alert } from "@tsbin/ui/alert";
import { Button } from "@tsbin/ui/button";
import { Card } from "@tsbin/ui/card";
import { FormLayout } from "@tsbin/ui/form-layout";
import { TextField } from "@tsbin/ui/text-field";
import type { ReactElement } from "react";
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

export interface NewPasswordFormProps {
  token: string;
  /** The link turned out to be used or expired when the form was sent. */
  onInvalid: () => void;
}

/** Django's SetPasswordForm for a checked reset link: the new password twice. */
export function NewPasswordForm({ token, onInvalid }: NewPasswordFormProps): ReactElement {
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
  const newPassword = useWatch({ control: form.control, name: "newPassword" });

  const onSubmit = form.handleSubmit(async ({ newPassword }) => {
    alert.clear();
    try {
      await reset.mutateAsync({ token, newPassword });
    } catch (error) {
      if ((describeApiError(error).fieldErrors.token?.length ?? 0) > 0) {
        onInvalid();
        return;
      }
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
          onSubmit={(event) => void onSubmit(event)}
          onFocus={resetPasswordResolver.preload}
          actions={
            <Button type="submit" pending={isSubmitting}>
              Change my password
            </Button>
          }
        >
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            description={<PasswordRequirements password={newPassword} user={null} />}
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
