export * from "./users.ts";
export * from "./sessions.ts";
export * from "./pastebin.ts";
export * from "./admin.ts";
