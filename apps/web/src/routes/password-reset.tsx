import { useMutation } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { Alert } from "@tsbin/ui/alert";
import { Button } from "@tsbin/ui/button";
import { Card } from "@tsbin/ui/card";
import { FormLayout } from "@tsbin/ui/form-layout";
import { TextField } from "@tsbin/ui/text-field";
import type { ReactElement } from "react";
import { useForm } from "react-hook-form";
import { requestPasswordResetResolver } from "../features/auth/form-resolvers.ts";
import type { RequestPasswordResetValues } from "../features/auth/form-schemas.ts";
import { fieldMessages } from "../features/forms/field-messages.ts";
import { applyServerErrors } from "../features/forms/server-errors.ts";
import { useFormAlert } from "../features/forms/use-form-alert.ts";
import { AppLink } from "../features/layout/app-link.tsx";
import { CenteredPage } from "../features/layout/centered-page.tsx";
import { trpc } from "../lib/trpc.ts";
import { submitAttempt } from "../features/forms/submit-attempt.ts";

/** Django's PasswordResetView: asks for the email address to send a reset link to. */
export function PasswordResetPage(): ReactElement {
  const navigate = useNavigate();
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  const alert = useFormAlert();
  const form = useForm<RequestPasswordResetValues>({
    resolver: requestPasswordResetResolver.resolver,
    defaultValues: { email: "" },
    mode: "onBlur",
    criteriaMode: "all",
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await request.mutateAsync(values);
      await navigate({ to: "/password-reset/sent", replace: true });
    } catch (error) {
      alert.show(applyServerErrors(error, form.setError, ["email"]));
    }
  });

  return (
    <CenteredPage>
      <Card
        headingLevel={1}
        title="Forgot your password?"
        description="Enter your email address below, and we’ll email instructions for setting a new one."
        footer={
          <>
            Remembered it? <AppLink to="/login">Log in</AppLink>
          </>
        }
      >
        {alert.message && (
          <Alert tone="error" ref={alert.ref}>
            {alert.message}
          </Alert>
        )}
        <FormLayout
          stretchActions
          onSubmit={submitAttempt(alert, onSubmit)}
          onFocus={requestPasswordResetResolver.preload}
          actions={
            <Button type="submit" pending={isSubmitting}>
              Reset my password
            </Button>
          }
        >
          <TextField
            label="Email address"
            type="email"
            autoComplete="email"
            spellCheck={false}
            errors={fieldMessages(errors.email)}
            {...form.register("email")}
          />
        </FormLayout>
      </Card>
    </CenteredPage>
  );
}
