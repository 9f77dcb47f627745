-- The comparison keys become text: case folding can make a key longer than its value ("ß" folds to
-- "ss"), so a valid 150-character username could not be stored.
ALTER TABLE "users" ALTER COLUMN "username_key" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "email_key" SET DATA TYPE text;--> statement-breakpoint
-- Keys written before the capital sharp s "ẞ" folded to "ss" hold "ß" where it was typed (any "ß"
-- typed as such already folded to "ss"). They get today's key, unless another account already
-- holds it: that pair was two accounts under one name, and both keep what they have.
UPDATE "users" AS u SET "username_key" = replace(u."username_key", 'ß', 'ss')
  WHERE u."username_key" LIKE '%ß%'
    AND NOT EXISTS (SELECT 1 FROM "users" AS o WHERE o."username_key" = replace(u."username_key", 'ß', 'ss'));--> statement-breakpoint
UPDATE "users" AS u SET "email_key" = replace(u."email_key", 'ß', 'ss')
  WHERE u."email_key" LIKE '%ß%'
    AND NOT EXISTS (SELECT 1 FROM "users" AS o WHERE o."email_key" = replace(u."email_key", 'ß', 'ss'));
