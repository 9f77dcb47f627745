import { useMutation, useSuspenseQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { Alert } from "@tsbin/ui/alert";
import { Button } from "@tsbin/ui/button";
import { Card } from "@tsbin/ui/card";
import { FormLayout } from "@tsbin/ui/form-layout";
import { TextField } from "@tsbin/ui/text-field";
import { useMemo, type ReactElement } from "react";
import { useForm, useWatch } from "react-hook-form";
import { passwordChangeResolver } from "../features/auth/form-resolvers.ts";
import type { PasswordChangeValues } from "../features/auth/form-schemas.ts";
import { PasswordRequirements } from "../features/auth/password-requirements.tsx";
import { fieldMessages } from "../features/forms/field-messages.ts";
import { applyServerErrors } from "../features/forms/server-errors.ts";
import { useFormAlert } from "../features/forms/use-form-alert.ts";
import { trpc } from "../lib/trpc.ts";
import { submitAttempt } from "../features/forms/submit-attempt.ts";

/** Django's PasswordChangeView: the old password, then the new one twice. Other sessions end. */
export function PasswordChangePage(): ReactElement {
  const navigate = useNavigate();
  const { data: me } = useSuspenseQuery(trpc.auth.me.queryOptions());
  const user = me.isAuthenticated ? me : null;
  const change = useMutation(trpc.auth.changePassword.mutationOptions());
  const alert = useFormAlert();
  const attributes = useMemo(
    () =>
      user ? { username: user.username, email: user.email, firstName: user.firstName, lastName: user.lastName } : {},
    [user],
  );
  const { resolver, preload } = useMemo(() => passwordChangeResolver(attributes), [attributes]);
  const form = useForm<PasswordChangeValues>({
    resolver,
    defaultValues: { oldPassword: "", newPassword: "", newPasswordConfirmation: "" },
    mode: "onBlur",
    criteriaMode: "all",
  });
  const { errors, isSubmitting } = form.formState;
  const newPassword = useWatch({ control: form.control, name: "newPassword" });

  const onSubmit = form.handleSubmit(async ({ oldPassword, newPassword }) => {
    try {
      await change.mutateAsync({ oldPassword, newPassword });
    } catch (error) {
      alert.show(applyServerErrors(error, form.setError, ["oldPassword", "newPassword"]));
      return;
    }
    await navigate({ to: "/account/password/done", replace: true });
  });

  return (
    <Card
      title="Change password"
      description="Please enter your old password, for security’s sake, and then enter your new password twice so we can verify you typed it in correctly."
    >
      {alert.message && (
        <Alert tone="error" ref={alert.ref}>
          {alert.message}
        </Alert>
      )}
      <FormLayout
        onSubmit={submitAttempt(alert, onSubmit)}
        onFocus={preload}
        actions={
          <Button type="submit" pending={isSubmitting}>
            Change my password
          </Button>
        }
      >
        {/* Lets password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={user?.username ?? ""} readOnly hidden />
        <TextField
          label="Old password"
          type="password"
          autoComplete="current-password"
          errors={fieldMessages(errors.oldPassword)}
          {...form.register("oldPassword")}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          description={<PasswordRequirements password={newPassword} user={attributes} />}
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
  );
}
