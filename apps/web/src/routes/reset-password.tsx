import { useQuery } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { Card } from "@tsbin/ui/card";
import { Spinner } from "@tsbin/ui/spinner";
import { useEffect, useState, type ReactElement } from "react";
import { InvalidResetLink } from "../features/auth/invalid-reset-link.tsx";
import { NewPasswordForm } from "../features/auth/new-password-form.tsx";
import { ResetLinkCheckFailed } from "../features/auth/reset-link-check-failed.tsx";
import { CenteredPage } from "../features/layout/centered-page.tsx";
import { forgetResetToken, readResetToken, rememberResetToken, RESET_PASSWORD_SET_PATH } from "../lib/reset-token.ts";
import { describeApiError } from "../lib/trpc-error.ts";
import { trpcClient } from "../lib/trpc.ts";

const route = getRouteApi("/reset-password/$token");
const SET_SEGMENT = RESET_PASSWORD_SET_PATH.slice(RESET_PASSWORD_SET_PATH.lastIndexOf("/") + 1);

/**
 * Django's PasswordResetConfirmView, at the emailed `/reset-password/<token>`. The token has been
 * moved out of the address into session storage (main.tsx, or here after an in-app navigation);
 * the page checks it first, so a used or expired link says so before anyone types a password.
 * The check is a POST (`auth.checkResetToken` is a mutation), so the token never appears in a
 * request URL, where logs, proxies and the Referer header could pick it up.
 */
export function ResetPasswordPage(): ReactElement {
  const { token: segment } = route.useParams();
  const navigate = useNavigate();
  const [token, setToken] = useState<string | null>(() => readResetToken(window.sessionStorage));

  useEffect(() => {
    if (segment === SET_SEGMENT) return;
    rememberResetToken(window.sessionStorage, segment);
    setToken(segment);
    void navigate({ to: "/reset-password/$token", params: { token: SET_SEGMENT }, replace: true });
  }, [segment, navigate]);

  const check = useQuery({
    queryKey: ["auth.checkResetToken", token],
    queryFn: () => trpcClient.auth.checkResetToken.mutate({ token: token ?? "" }),
    enabled: token !== null && segment === SET_SEGMENT,
    staleTime: Infinity,
    retry: false,
  });

  if (token === null || check.data?.valid === false) return <InvalidResetLink />;
  if (check.isError) {
    return (
      <ResetLinkCheckFailed
        message={describeApiError(check.error).message}
        retrying={check.isFetching}
        onRetry={() => void check.refetch()}
      />
    );
  }
  if (!check.data) {
    return (
      <CenteredPage>
        <Card headingLevel={1} title="Enter new password">
          <div className="flex h-40 items-center justify-center text-slate-500">
            <Spinner size="md" label="Checking the link" />
          </div>
        </Card>
      </CenteredPage>
    );
  }
  return (
    <NewPasswordForm
      token={token}
      username={check.data.username}
      onInvalid={() => {
        forgetResetToken(window.sessionStorage);
        setToken(null);
      }}
    />
  );
}
