import { useMutation, useQuery } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { Alert } from "@tsbin/ui/alert";
import { Button } from "@tsbin/ui/button";
import { Card } from "@tsbin/ui/card";
import { FormLayout } from "@tsbin/ui/form-layout";
import { TextField } from "@tsbin/ui/text-field";
import type { ReactElement } from "react";
import { useForm, useWatch } from "react-hook-form";
import { signupResolver } from "../features/auth/form-resolvers.ts";
import type { SignupValues } from "../features/auth/form-schemas.ts";
import { PasswordRequirements } from "../features/auth/password-requirements.tsx";
import { fieldMessages } from "../features/forms/field-messages.ts";
import { applyServerErrors } from "../features/forms/server-errors.ts";
import { useFormAlert } from "../features/forms/use-form-alert.ts";
import { AppLink } from "../features/layout/app-link.tsx";
import { CenteredPage } from "../features/layout/centered-page.tsx";
import { replaceCurrentUser } from "../lib/auth-cache.ts";
import { nextPathOrDefault, safeNextPath } from "../lib/safe-next.ts";
import { displayName } from "../lib/current-user.ts";
import { trpc } from "../lib/trpc.ts";
import { submitAttempt } from "../features/forms/submit-attempt.ts";

const route = getRouteApi("/signup");

/** Django's UserCreationForm: username, email and a password typed twice; logs the new user in. */
export function SignupPage(): ReactElement {
  const { next } = route.useSearch();
  const navigate = useNavigate();
  const signup = useMutation(trpc.auth.signup.mutationOptions());
  const me = useQuery(trpc.auth.me.queryOptions());
  const alert = useFormAlert();
  const form = useForm<SignupValues>({
    resolver: signupResolver.resolver,
    defaultValues: { username: "", email: "", password: "", passwordConfirmation: "" },
    mode: "onBlur",
    criteriaMode: "all",
  });
  const { errors, isSubmitting } = form.formState;
  const [username, email, password] = useWatch({ control: form.control, name: ["username", "email", "password"] });
  const safeNext = safeNextPath(next, window.location.origin);

  const onSubmit = form.handleSubmit(async ({ username, email, password }) => {
    try {
      const user = await signup.mutateAsync({ username, email, password });
      replaceCurrentUser(user);
      await navigate({ href: nextPathOrDefault(next, window.location.origin), replace: true });
    } catch (error) {
      alert.show(applyServerErrors(error, form.setError, ["username", "email", "password"]));
    }
  });

  return (
    <CenteredPage>
      <Card
        headingLevel={1}
        title="Create your account"
        description="Log in from any device, and get back in by email if you forget your password."
        footer={
          <>
            Already have an account?{" "}
            <AppLink to="/login" search={safeNext ? { next: safeNext } : {}}>
              Log in
            </AppLink>
          </>
        }
      >
        {me.data?.isAuthenticated && !alert.message && (
          <Alert tone="info">
            You are logged in as <bdi>{displayName(me.data)}</bdi>. Creating an account logs you out of this one and
            into the new one.
          </Alert>
        )}
        {alert.message && (
          <Alert tone="error" ref={alert.ref}>
            {alert.message}
          </Alert>
        )}
        <FormLayout
          stretchActions
          onSubmit={submitAttempt(alert, onSubmit)}
          onFocus={signupResolver.preload}
          actions={
            <Button type="submit" pending={isSubmitting}>
              Create account
            </Button>
          }
        >
          <TextField
            label="Username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            description="150 characters or fewer. Letters, digits and @/./+/-/_ only."
            errors={fieldMessages(errors.username)}
            {...form.register("username", { deps: ["password"] })}
          />
          <TextField
            label="Email address"
            type="email"
            autoComplete="email"
            spellCheck={false}
            errors={fieldMessages(errors.email)}
            {...form.register("email")}
          />
          <TextField
            label="Password"
            type="password"
            autoComplete="new-password"
            description={<PasswordRequirements password={password} user={{ username, email }} />}
            errors={fieldMessages(errors.password)}
            {...form.register("password", { deps: ["passwordConfirmation"] })}
          />
          <TextField
            label="Password confirmation"
            type="password"
            autoComplete="new-password"
            description="Enter the same password as before, for verification."
            errors={fieldMessages(errors.passwordConfirmation)}
            {...form.register("passwordConfirmation")}
          />
        </FormLayout>
      </Card>
    </CenteredPage>
  );
}
