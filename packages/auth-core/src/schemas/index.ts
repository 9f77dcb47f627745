// zod schemas for every auth form and procedure input, shared by the API and the SPA so that both
// check the same rules.
export * from "./auth.ts";
export { passwordField, textField } from "./fields.ts";
