import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, primaryKey, text, timestamp, varchar } from "drizzle-orm/pg-core";
import { users } from "./users.ts";

/** djangobin's `Preference` choices. */
export const SNIPPET_EXPOSURES = ["public", "unlisted", "private"] as const;
export const SNIPPET_EXPIRATIONS = ["never", "1 week", "1 month", "6 months", "1 year"] as const;
export type SnippetExposure = (typeof SNIPPET_EXPOSURES)[number];
export type SnippetExpiration = (typeof SNIPPET_EXPIRATIONS)[number];

/** The slug of the language every profile defaults to ("Plain Text"). */
export const DEFAULT_LANGUAGE_SLUG = "text";

export const languages = pgTable("languages", {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  name: varchar({ length: 100 }).notNull(),
  langCode: varchar({ length: 100 }).notNull().unique(),
  slug: varchar({ length: 100 }).notNull().unique(),
  mime: varchar({ length: 100 }).notNull(),
  fileExtension: varchar({ length: 10 }).notNull(),
  createdOn: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedOn: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

const exposureCheck = sql.raw(SNIPPET_EXPOSURES.map((v) => `'${v}'`).join(", "));
const expirationCheck = sql.raw(SNIPPET_EXPIRATIONS.map((v) => `'${v}'`).join(", "));

/** The tutorial's `Author`: one-to-one with a user, created in the same transaction as the user. */
export const profiles = pgTable(
  "profiles",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    userId: integer()
      .notNull()
      .unique()
      .references(() => users.id, { onDelete: "cascade" }),
    displayName: varchar({ length: 150 }).notNull().default(""),
    bio: varchar({ length: 2000 }).notNull().default(""),
    defaultLanguageId: integer().references(() => languages.id, { onDelete: "set null" }),
    defaultExposure: varchar({ length: 10 }).notNull().default("public"),
    defaultExpiration: varchar({ length: 10 }).notNull().default("never"),
    private: boolean().notNull().default(false),
    views: integer().notNull().default(0),
  },
  (t) => [
    check("profiles_default_exposure_valid", sql`${t.defaultExposure} in (${exposureCheck})`),
    check("profiles_default_expiration_valid", sql`${t.defaultExpiration} in (${expirationCheck})`),
    check("profiles_views_non_negative", sql`${t.views} >= 0`),
  ],
);

export const snippets = pgTable(
  "snippets",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    title: varchar({ length: 200 }).notNull().default(""),
    originalCode: text().notNull(),
    highlightedCode: text().notNull().default(""),
    expiration: varchar({ length: 10 }).notNull(),
    exposure: varchar({ length: 10 }).notNull(),
    hits: integer().notNull().default(0),
    slug: varchar({ length: 100 }).notNull().unique(),
    createdOn: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }),
    languageId: integer()
      .notNull()
      .references(() => languages.id, { onDelete: "restrict" }),
    userId: integer().references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [
    index("snippets_user_id_created_idx").on(t.userId, t.createdOn),
    index("snippets_language_id_idx").on(t.languageId),
    index("snippets_exposure_created_idx").on(t.exposure, t.createdOn),
    check("snippets_exposure_valid", sql`${t.exposure} in (${exposureCheck})`),
    check("snippets_expiration_valid", sql`${t.expiration} in (${expirationCheck})`),
    check("snippets_hits_non_negative", sql`${t.hits} >= 0`),
  ],
);

export const tags = pgTable("tags", {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  name: varchar({ length: 50 }).notNull().unique(),
  slug: varchar({ length: 50 }).notNull().unique(),
});

export const snippetTags = pgTable(
  "snippet_tags",
  {
    snippetId: integer()
      .notNull()
      .references(() => snippets.id, { onDelete: "cascade" }),
    tagId: integer()
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.snippetId, t.tagId] }), index("snippet_tags_tag_id_idx").on(t.tagId)],
);
