import type { PasswordUserAttributes } from "@tsbin/auth-core";
import { lazyResolver, type LazyResolver } from "../forms/lazy-resolver.ts";
import type {
  AccountValues,
  FormResolvers,
  LoginValues,
  PasswordChangeValues,
  RequestPasswordResetValues,
  ResetPasswordValues,
  SignupValues,
} from "./form-schemas.ts";

// One loader per form; they share the chunk that holds zod, the schemas and the validators.
const schemas = (): Promise<{ resolvers: FormResolvers }> => import("./form-schemas.ts");

export const loginResolver: LazyResolver<LoginValues> = lazyResolver(async () => (await schemas()).resolvers.login);

export const signupResolver: LazyResolver<SignupValues> = lazyResolver(async () => (await schemas()).resolvers.signup);

export const requestPasswordResetResolver: LazyResolver<RequestPasswordResetValues> = lazyResolver(
  async () => (await schemas()).resolvers.requestPasswordReset,
);

export const resetPasswordResolver: LazyResolver<ResetPasswordValues> = lazyResolver(
  async () => (await schemas()).resolvers.resetPassword,
);

/** The account form's resolver, which asks for the current password when the address is not `currentEmail`. */
export function accountResolver(currentEmail: string): LazyResolver<AccountValues> {
  return lazyResolver(async () => (await schemas()).resolvers.account(currentEmail));
}

/** The password change form's resolver, which compares the new password with this user's details. */
export function passwordChangeResolver(user: PasswordUserAttributes): LazyResolver<PasswordChangeValues> {
  return lazyResolver(async () => (await schemas()).resolvers.passwordChange(user));
}
