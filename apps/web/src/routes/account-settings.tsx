import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Alert } from "@tsbin/ui/alert";
import { Button } from "@tsbin/ui/button";
import { Card } from "@tsbin/ui/card";
import { FormLayout } from "@tsbin/ui/form-layout";
import { TextField } from "@tsbin/ui/text-field";
import { normalizeEmail } from "@tsbin/auth-core";
import { useMemo, useState, type ReactElement } from "react";
import { useForm, useWatch } from "react-hook-form";
import { accountResolver } from "../features/auth/form-resolvers.ts";
import type { AccountValues } from "../features/auth/form-schemas.ts";
import { fieldMessages } from "../features/forms/field-messages.ts";
import { applyServerErrors } from "../features/forms/server-errors.ts";
import { useFormAlert } from "../features/forms/use-form-alert.ts";
import { formatDateTime } from "../lib/format-date.ts";
import { trpc } from "../lib/trpc.ts";
import { submitAttempt } from "../features/forms/submit-attempt.ts";

/**
 * Account settings: the user's name and email address. A new address takes the current password
 * (reset links go to it), so its field appears once the address differs from the saved one.
 */
export function AccountSettingsPage(): ReactElement {
  const queryClient = useQueryClient();
  const { data: user } = useSuspenseQuery(trpc.auth.me.queryOptions());
  const update = useMutation(trpc.auth.updateAccount.mutationOptions());
  const alert = useFormAlert();
  const [saved, setSaved] = useState(false);
  const current = user.isAuthenticated ? user : null;
  const currentEmail = current?.email ?? "";
  const { resolver, preload } = useMemo(() => accountResolver(currentEmail), [currentEmail]);
  const form = useForm<AccountValues>({
    resolver,
    defaultValues: {
      firstName: current?.firstName ?? "",
      lastName: current?.lastName ?? "",
      email: currentEmail,
      password: "",
    },
    mode: "onBlur",
    criteriaMode: "all",
  });
  const { errors, isSubmitting } = form.formState;
  // Compared as the API compares: a spelling that stores the same address is no change.
  const changesEmail = (email: string): boolean => normalizeEmail(email) !== currentEmail;
  const emailChanging = changesEmail(useWatch({ control: form.control, name: "email" }));

  const onSubmit = form.handleSubmit(async ({ password, ...fields }) => {
    setSaved(false);
    try {
      // The password goes only with a new address, the one change that needs it.
      const updated = await update.mutateAsync(changesEmail(fields.email) ? { ...fields, password } : fields);
      queryClient.setQueryData(trpc.auth.me.queryKey(), updated);
      form.reset({ firstName: updated.firstName, lastName: updated.lastName, email: updated.email, password: "" });
      setSaved(true);
    } catch (error) {
      alert.show(applyServerErrors(error, form.setError, ["firstName", "lastName", "email", "password"]));
    }
  });

  return (
    <Card title="Profile" description="Your name is how tsbin greets you; your email address is where reset links go.">
      {current && (
        <dl className="grid grid-cols-1 gap-x-6 gap-y-3 rounded-lg bg-slate-50 p-4 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-slate-500">Username</dt>
            <dd className="font-medium break-all text-slate-900">
              <bdi>{current.username}</bdi>
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Member since</dt>
            <dd className="font-medium text-slate-900">{formatDateTime(current.dateJoined)}</dd>
          </div>
        </dl>
      )}
      {alert.message && (
        <Alert tone="error" ref={alert.ref}>
          {alert.message}
        </Alert>
      )}
      {saved && !form.formState.isDirty && <Alert tone="success">Your account was updated.</Alert>}
      <FormLayout
        onSubmit={submitAttempt(alert, onSubmit)}
        onFocus={preload}
        actions={
          <Button type="submit" pending={isSubmitting}>
            Save changes
          </Button>
        }
      >
        <div className="grid grid-cols-1 gap-x-4 sm:grid-cols-2">
          <TextField
            label="First name"
            autoComplete="given-name"
            errors={fieldMessages(errors.firstName)}
            {...form.register("firstName")}
          />
          <TextField
            label="Last name"
            autoComplete="family-name"
            errors={fieldMessages(errors.lastName)}
            {...form.register("lastName")}
          />
        </div>
        <TextField
          label="Email address"
          type="email"
          autoComplete="email"
          spellCheck={false}
          errors={fieldMessages(errors.email)}
          {...form.register("email")}
        />
        {emailChanging && (
          <>
            {/* Lets password managers fill the password of the right account. */}
            <input
              type="text"
              name="username"
              autoComplete="username"
              value={current?.username ?? ""}
              readOnly
              hidden
            />
            <TextField
              label="Current password"
              type="password"
              autoComplete="current-password"
              description="Password reset links go to your email address, so changing it takes your password."
              errors={fieldMessages(errors.password)}
              {...form.register("password")}
            />
          </>
        )}
      </FormLayout>
    </Card>
  );
}
