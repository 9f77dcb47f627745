import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import type { AppRouter } from "@tsbin/api/router";
import { Alert } from "@tsbin/ui/alert";
import { Badge } from "@tsbin/ui/badge";
import { Button } from "@tsbin/ui/button";
import { Card } from "@tsbin/ui/card";
import { Table, type TableColumn } from "@tsbin/ui/table";
import type { inferRouterOutputs } from "@trpc/server";
import { useEffect, useRef, useState, type ReactElement } from "react";
import { endCurrentSession } from "../lib/auth-cache.ts";
import { formatDateTime, formatRelative } from "../lib/format-date.ts";
import { describeApiError } from "../lib/trpc-error.ts";
import { trpc } from "../lib/trpc.ts";
import { describeUserAgent } from "../lib/user-agent.ts";

type Session = inferRouterOutputs<AppRouter>["auth"]["sessions"]["list"][number];

type Outcome = { tone: "success" | "error"; text: string } | null;

/** Whether revoking a session failed only because it had already ended (another window, expiry). */
function isAlreadyEnded(error: unknown): boolean {
  return describeApiError(error).code === "NOT_FOUND";
}

/** The user's live sessions, with "log out this device" per session and "log out everywhere else". */
export function SessionsPage(): ReactElement {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { data } = useSuspenseQuery(trpc.auth.sessions.list.queryOptions());
  // This device first, then the others by last activity (the API's order).
  const sessions = [...data].sort((a, b) => Number(b.current) - Number(a.current));
  const revoke = useMutation(trpc.auth.sessions.revoke.mutationOptions());
  const revokeOthers = useMutation(trpc.auth.sessions.revokeOthers.mutationOptions());
  const [outcome, setOutcome] = useState<Outcome>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const [revokingId, setRevokingId] = useState<string | null>(null);
  const others = sessions.filter((session) => !session.current).length;

  // The button that was pressed goes with its row, or is disabled ("Log out everywhere else"), and
  // focus would fall to the page's body: it moves to the message that says what happened instead.
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  async function refresh(): Promise<void> {
    await queryClient.invalidateQueries(trpc.auth.sessions.list.queryFilter());
  }

  async function logOutSession(session: Session): Promise<void> {
    setOutcome(null);
    setRevokingId(session.id);
    try {
      const result = await revoke.mutateAsync({ id: session.id });
      if (result.current) {
        await endCurrentSession(() => navigate({ to: "/logged-out", replace: true }));
        return;
      }
      setOutcome({ tone: "success", text: `${describeUserAgent(session.userAgent)} was logged out.` });
    } catch (error) {
      // What the user asked for has happened anyway; the refresh below drops the row.
      setOutcome(
        isAlreadyEnded(error)
          ? { tone: "success", text: "That device was already logged out." }
          : { tone: "error", text: describeApiError(error).message },
      );
    } finally {
      setRevokingId(null);
    }
    await refresh();
  }

  async function logOutOthers(): Promise<void> {
    setOutcome(null);
    try {
      const { ended } = await revokeOthers.mutateAsync({});
      setOutcome({
        tone: "success",
        text: ended === 1 ? "1 other session was logged out." : `${ended} other sessions were logged out.`,
      });
    } catch (error) {
      setOutcome({ tone: "error", text: describeApiError(error).message });
    }
    await refresh();
  }

  const columns: TableColumn<Session>[] = [
    {
      id: "device",
      header: "Device",
      cell: (session) => (
        <span className="flex flex-wrap items-center gap-2">
          <span className="font-medium text-slate-900" title={session.userAgent ?? undefined}>
            {describeUserAgent(session.userAgent)}
          </span>
          {session.current && <Badge tone="info">This device</Badge>}
        </span>
      ),
    },
    {
      id: "ip",
      header: "IP address",
      cell: (session) => <span className="font-mono text-xs">{session.ipAddress ?? "—"}</span>,
    },
    {
      id: "started",
      header: "Logged in",
      cell: (session) => <time dateTime={session.createdAt.toISOString()}>{formatDateTime(session.createdAt)}</time>,
    },
    {
      id: "seen",
      header: "Last active",
      cell: (session) => (
        <time dateTime={session.lastSeenAt.toISOString()} title={formatDateTime(session.lastSeenAt)}>
          {formatRelative(session.lastSeenAt)}
        </time>
      ),
    },
    {
      id: "actions",
      header: "Actions",
      hideHeader: true,
      alignEnd: true,
      cell: (session) => (
        <Button
          variant="secondary"
          className="w-full md:w-auto"
          pending={revokingId === session.id}
          disabled={revokingId !== null && revokingId !== session.id}
          aria-label={`Log out this device: ${describeUserAgent(session.userAgent)}${session.current ? " (this device)" : ""}, last active ${formatRelative(session.lastSeenAt)}`}
          onClick={() => void logOutSession(session)}
        >
          Log out this device
        </Button>
      ),
    },
  ];

  return (
    <Card
      title="Active sessions"
      description="These devices are logged in to your account. If you don’t recognise one, log it out and change your password."
    >
      {outcome && (
        <Alert tone={outcome.tone} ref={outcomeRef}>
          {outcome.text}
        </Alert>
      )}
      <Table
        caption="Devices logged in to your account"
        columns={columns}
        rows={sessions}
        rowKey={(session) => session.id}
        rowClassName={(session) => (session.current ? "bg-blue-50/40" : "")}
      />
      <div className="flex flex-col gap-3 border-t border-slate-200 pt-5 sm:flex-row sm:items-center sm:justify-between">
        <p className="text-sm text-slate-600">
          {others === 0
            ? "No other device is logged in."
            : others === 1
              ? "Log out the other device, keeping this one."
              : `Log out the ${others} other devices, keeping this one.`}
        </p>
        <Button
          variant="danger"
          pending={revokeOthers.isPending}
          disabled={others === 0}
          onClick={() => void logOutOthers()}
        >
          Log out everywhere else
        </Button>
      </div>
    </Card>
  );
}
