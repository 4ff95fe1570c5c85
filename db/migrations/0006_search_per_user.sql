-- Search reads one user's rows only: messages carry their conversation's owner (`user_id`),
-- and the search indexes lead with it. The GIN indexes hold (user_id, search_vector) pairs,
-- which needs btree_gin (a trusted contrib extension: PGlite loads it, Neon and Postgres ship
-- it; creating it needs the CREATE privilege on the database, which its owner has).
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_id_user_id_key" UNIQUE("id","user_id");--> statement-breakpoint
-- The old search indexes go first, so the backfill below does not write an entry into each of
-- them for every row it rewrites.
ALTER TABLE "messages" DROP CONSTRAINT "messages_conversation_id_conversations_id_fk";--> statement-breakpoint
DROP INDEX "conversations_search_idx";--> statement-breakpoint
DROP INDEX "messages_search_idx";--> statement-breakpoint
DROP INDEX "messages_created_idx";--> statement-breakpoint
-- Backfill: every message rewritten once (the stored search vector is copied, not computed
-- again: it does not depend on user_id).
ALTER TABLE "messages" ADD COLUMN "user_id" uuid;--> statement-breakpoint
UPDATE "messages" AS m SET "user_id" = c."user_id"
FROM "conversations" AS c WHERE c."id" = m."conversation_id";--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "user_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_owner_fk" FOREIGN KEY ("conversation_id","user_id") REFERENCES "public"."conversations"("id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversations_user_search_idx" ON "conversations" USING gin ("user_id","search_vector");--> statement-breakpoint
CREATE INDEX "messages_user_search_idx" ON "messages" USING gin ("user_id","search_vector");--> statement-breakpoint
CREATE INDEX "messages_user_recent_idx" ON "messages" USING btree ("user_id","created_at","id");--> statement-breakpoint
-- For the previous release while it still runs beside this schema (a rolling upgrade): its
-- inserts do not name user_id, so the conversation's owner is filled in for them. This release
-- always writes user_id, so the trigger's WHEN never holds for it; a later release drops both.
CREATE FUNCTION "messages_user_id_from_conversation"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT c."user_id" INTO NEW."user_id" FROM "conversations" AS c WHERE c."id" = NEW."conversation_id";
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "messages_user_id_for_previous_release" BEFORE INSERT ON "messages"
FOR EACH ROW WHEN (NEW."user_id" IS NULL) EXECUTE FUNCTION "messages_user_id_from_conversation"();
