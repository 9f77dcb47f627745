import { useMutation, useQuery } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { Alert } from "@tsbin/ui/alert";
import { Button } from "@tsbin/ui/button";
import { Card } from "@tsbin/ui/card";
import { FormLayout } from "@tsbin/ui/form-layout";
import { TextField } from "@tsbin/ui/text-field";
import type { ReactElement } from "react";
import { useForm } from "react-hook-form";
import { AlreadyLoggedIn } from "../features/auth/already-logged-in.tsx";
import { loginResolver } from "../features/auth/form-resolvers.ts";
import type { LoginValues } from "../features/auth/form-schemas.ts";
import { fieldMessages } from "../features/forms/field-messages.ts";
import { applyServerErrors } from "../features/forms/server-errors.ts";
import { useFormAlert } from "../features/forms/use-form-alert.ts";
import { AppLink } from "../features/layout/app-link.tsx";
import { CenteredPage } from "../features/layout/centered-page.tsx";
import { replaceCurrentUser } from "../lib/auth-cache.ts";
import { nextPathOrDefault, safeNextPath } from "../lib/safe-next.ts";
import { isUnauthorized } from "../lib/trpc-error.ts";
import { trpc } from "../lib/trpc.ts";
import { submitAttempt } from "../features/forms/submit-attempt.ts";

const route = getRouteApi("/login");

/** Django's LoginView: username (or email) and password, then on to `?next=` when it is safe. */
export function LoginPage(): ReactElement {
  const { next } = route.useSearch();
  const navigate = useNavigate();
  const me = useQuery(trpc.auth.me.queryOptions());
  const login = useMutation(trpc.auth.login.mutationOptions());
  const alert = useFormAlert();
  const form = useForm<LoginValues>({
    resolver: loginResolver.resolver,
    defaultValues: { username: "", password: "" },
    mode: "onBlur",
    criteriaMode: "all",
  });
  const { errors, isSubmitting } = form.formState;
  const safeNext = safeNextPath(next, window.location.origin);

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const user = await login.mutateAsync(values);
      replaceCurrentUser(user);
      await navigate({ href: nextPathOrDefault(next, window.location.origin), replace: true });
    } catch (error) {
      // As Django's form does after a wrong password, keep the username and ask for the password
      // again; after a failure to reach the server or a rate limit, the password was not wrong.
      if (isUnauthorized(error)) form.resetField("password");
      alert.show(applyServerErrors(error, form.setError, ["username", "password"]));
    }
  });

  const user = me.data;
  return (
    <CenteredPage>
      <Card
        headingLevel={1}
        title="Log in"
        description="Welcome back. Log in with your username or email address."
        footer={
          <>
            New to tsbin?{" "}
            <AppLink to="/signup" search={safeNext ? { next: safeNext } : {}}>
              Create an account
            </AppLink>
          </>
        }
      >
        {!alert.message && user?.isAuthenticated && <AlreadyLoggedIn username={user.username} next={safeNext} />}
        {!alert.message && !user?.isAuthenticated && safeNext && (
          <Alert tone="info">Please log in to see this page.</Alert>
        )}
        {alert.message && (
          <Alert tone="error" ref={alert.ref}>
            {alert.message}
          </Alert>
        )}
        <FormLayout
          stretchActions
          onSubmit={submitAttempt(alert, onSubmit)}
          onFocus={loginResolver.preload}
          actions={
            <Button type="submit" pending={isSubmitting}>
              Log in
            </Button>
          }
        >
          <TextField
            label="Username or email"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            errors={fieldMessages(errors.username)}
            {...form.register("username")}
          />
          <TextField
            label="Password"
            type="password"
            autoComplete="current-password"
            labelAside={<AppLink to="/password-reset">Forgot your password?</AppLink>}
            errors={fieldMessages(errors.password)}
            {...form.register("password")}
          />
        </FormLayout>
      </Card>
    </CenteredPage>
  );
}
